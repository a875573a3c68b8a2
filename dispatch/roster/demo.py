"""The demo roster (demo/roster/, made by demo/make_demo_roster.py), loaded with its shifts moved to today."""
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from models import Place

from .operations import import_roster
from .results import ImportSummary

DEMO_ROSTER = Path(__file__).resolve().parents[2] / "demo" / "roster"


def start_of_day(now: datetime, zone: ZoneInfo) -> datetime:
    """Midnight of `now`'s day in `zone`, as an aware datetime."""
    return datetime.combine(now.astimezone(zone).date(), time(), tzinfo=zone)


def load_demo(session, *, region: str, timezone, now: datetime, progress=None) -> ImportSummary | None:
    """Import the demo roster, its first shift starting at the start of `now`'s day; None if places exist."""
    if session.scalar(select(Place.id).limit(1)) is not None:
        return None
    zone = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(str(timezone))
    return import_roster(DEMO_ROSTER, session, region=region, timezone=zone, progress=progress,
                         first_shift_at=start_of_day(now, zone))
