"""Form validation actions: take each answer from the worker's message, read it back, re-ask.

Slots of a form use `type: custom` mappings with an `active_loop` condition, so every value is
taken by an `extract_<slot>` method that looks at the message only when it is the answer to
the question just asked (or an explicit correction while confirming). A message that is
clearly something else (help, talk to a person, another service) is left alone: the form then
rejects and the rules route it. An answer that cannot be understood counts as a failed attempt,
and so does a request for the service already under way (counted by action_route: a misheard
answer is often classified as one); two at the same step hand the conversation to an officer.

Shared machinery:
- `failures`: counting failed answers, the hand-over flag, `success`;
- `answers`: which question is asked, free-text answers, yes/no read-backs (`confirmation`);
- `base`: `FlowFormValidation`, the base of every validation action below.

One module per form (rasa-sdk imports each when it loads the `actions` package):
`verify`, `claim`, `eligibility`, `nominee`, `feedback`, `renewal`, `pension`, `selfservice`,
`correction`.
"""
