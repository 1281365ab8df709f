"""Benchmarks of the assistant: NLU quality against stock Rasa, speed through the whole stack,
memory, cold start and what a caller pays in turns and audio. Run with `python -m bench`.
"""
