"""The work behind the hotline, in rooms that import one way only (top to bottom):

runtime (jobs, queue, sweep, unit of work, daily tasks) → conversation (every inbound text read) and voice (the
herder's call) → ledgers (the five workbooks, figures, digest) → leaders (scope, sign-in, actions, the board)
→ register (the vulnerable residents, the weekly contact, cards) → ladder (ranking, offers, escalation)
→ sharing (neighbour medicine, price reports) → requests (intake) → messaging (outbox, sending, texts, phones)
and roster (import) → models.

No Flask request and no provider library here: the edge (hotline/) parses, calls one function, commits.
"""
