"""The phone line (Twilio voice IVR) and the SMS/WhatsApp webhooks, in front of the assistant.

Public webhooks live here, not in Rasa: signatures are checked, the caller's language is passed
to every <Gather>, and a slow assistant never makes Twilio wait past its 15-second limit.
"""
