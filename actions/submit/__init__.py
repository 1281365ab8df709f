"""Actions that run after a form: one module per service, each a call to one backend endpoint.

- `base`: `SubmitAction`, a confirmed write (cancelled, done, or offered again when the
  backend is down) that each write below extends;
- `claim`, `renewal`, `nominee`, `pension` (restart request), `feedback`, `correction` (of the
  worker's record): one write each;
- `eligibility`: the PM-SYM check, a question to the backend rather than a write.
"""
