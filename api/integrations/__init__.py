"""Outside services the backend talks to, one package each (Twilio today)."""
