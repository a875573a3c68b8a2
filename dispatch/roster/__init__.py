"""The roster import: places, teams, members, leaders, vehicles, shifts and households from a leader's file.

`import_roster(path, session, region=..., timezone=...)` checks every row first and writes all or nothing.
"""
from .demo import DEMO_ROSTER, load_demo
from .operations import import_roster
from .results import SHEETS, ImportSummary, RosterError, SheetCount

__all__ = ["DEMO_ROSTER", "SHEETS", "ImportSummary", "RosterError", "SheetCount", "import_roster", "load_demo"]
