"""Custom Rasa components (run in .venv-bot), named `components.<mod>.<Class>` in config.yml."""
