"""The register of vulnerable residents and its weekly contact: who is due, the round, visit reports, the hotline's own check-ins."""
