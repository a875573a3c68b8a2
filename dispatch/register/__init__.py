"""The register of vulnerable residents: contact cards (cards.py) and the record of who read it (access.py)."""
