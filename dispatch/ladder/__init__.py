"""The ladder: rank the teams, offer, take one acceptance, move on, escalate; reach members by call when SMS fails."""
