"""The NLU evaluation behind `scripts/eval_nlu.py`, split by job.

Modules run in one of two environments: `parsing.worker`, `parsing.rasa_test_nlu` and
`cross_validation.cv_worker` in `.venv-bot` (Rasa 3.6), everything else in `.venv`. Module-level
imports are the standard library, numpy and scikit-learn, which both environments have.
"""
