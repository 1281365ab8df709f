"""Custom actions of the Rasa assistant: read input, call the backend, render replies.

Business rules live in the backend (api/); these modules only parse what the worker said,
call one backend endpoint through `actions.backend_client`, and render the answer from the
`bot` catalogs in `locales/` in the conversation's language.
"""
