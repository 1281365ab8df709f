"""Twilio, in one place: webhook signatures, the REST client, TwiML builders, public URLs.

The phone line (voice/) and the outbound messages (api/messaging/) both use it; nothing else
imports the twilio library.
"""
