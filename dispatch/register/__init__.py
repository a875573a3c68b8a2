"""The register of vulnerable residents: who is due, the weekly round, visit reports, the hotline's own check-ins, contact cards (cards.py) and the record of who read it (access.py)."""
