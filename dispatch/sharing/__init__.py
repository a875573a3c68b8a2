"""Neighbour medicine sharing (haves, needs, the gacha's reserve, matches and their delivery) and price reports."""
