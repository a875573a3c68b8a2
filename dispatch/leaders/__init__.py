"""The leaders' side: who sees what, sign-in, what leaders do to a request, and what the dashboard reads."""
