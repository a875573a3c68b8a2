"""The work behind the hotline, in rooms that import one way only (top to bottom):

runtime (jobs, queue, sweep, unit of work) → conversation (every inbound text read) and voice (the herder's call)
→ leaders (scope, sign-in, actions, the board) → ladder (ranking, offers, escalation) and requests (intake)
→ messaging (outbox, sending, texts, phones) and roster (import) → models.

No Flask request and no provider library here: the edge (hotline/) parses, calls one function, commits.
"""
