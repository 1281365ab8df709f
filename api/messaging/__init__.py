"""Messages and calls the helpline starts itself (SMS, WhatsApp, call-backs), sent durably."""
