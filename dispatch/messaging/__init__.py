"""Talking with people through a provider: the outbox, the two-phase send, status reports, texts, phones, keys."""
