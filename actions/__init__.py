"""Custom actions of the Rasa assistant: read input, call the backend, render replies.

Business rules live in the backend (api/); these modules only parse what the worker said,
call one backend endpoint through `actions.backend_client`, and render the answer from the
`bot` catalogs in `locales/` in the conversation's language.

`python -m rasa_sdk --actions actions` imports every module of this package and of its
sub-packages and registers each concrete `Action` subclass it finds, so nothing is imported
here:
- `routing/`: action_route (every intent), starting a service, action_after_verify;
- `forms/`: the form validation actions, one module per form, and their shared machinery;
- `submit/`: what runs after a form, one module per service;
- `handoff`, `language`: the hand-over to an officer and the language slot;
- `nlg`: the texts of `utter_*` responses (the /nlg route);
- `backend_client`, `inputs`, `render`, `texts`: backend calls, reading input, replies.
"""
