"""The township's five ledgers as workbooks, the figures leaders report upward, and the leaders' daily digest."""
