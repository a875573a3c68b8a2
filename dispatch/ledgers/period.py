"""What a ledger covers: a range of local days (TIMEZONE) and a leader's scope, read from what people type."""
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select, true

from models import Place, PlaceKind

from ..leaders.scope import Scope, place_ids_under

EVERYTHING = Scope(everything=True, place_ids=frozenset(), unplaced=True)


class LedgerError(Exception):
    """What someone asked for cannot be made (a bad date, an unknown place); the message says why in a sentence."""


@dataclass(frozen=True)
class Period:
    """The local days `since` to `until`, both included, in the time zone people read (TIMEZONE)."""

    since: date
    until: date
    zone: zoneinfo.ZoneInfo

    @property
    def start(self) -> datetime:
        """The first moment of `since`, local."""
        return datetime.combine(self.since, time(), tzinfo=self.zone)

    @property
    def end(self) -> datetime:
        """The first moment after `until`, local (ranges are half-open: start <= at < end)."""
        return datetime.combine(self.until + timedelta(days=1), time(), tzinfo=self.zone)

    def label(self) -> str:
        """'2026-03-01至2026-03-31', as the title row names it."""
        return f"{self.since.isoformat()}至{self.until.isoformat()}"

    def local(self, moment: datetime | None) -> datetime | None:
        """A stored moment as the local wall-clock time a spreadsheet shows (Excel has no time zones)."""
        return None if moment is None else moment.astimezone(self.zone).replace(tzinfo=None, microsecond=0)

    def covers(self, column):
        """A WHERE clause: the moment in `column` falls within the period."""
        return (column >= self.start) & (column < self.end)


def read_period(since: str | None, until: str | None, today: date, zone) -> Period:
    """The period from YYYY-MM-DD texts. Without `since`, the first day of the month of `until` (or of today);
    without `until`, the last day of the month of `since` (or of today). LedgerError when a date is bad."""
    first = _read_date("--since", since) if since else None
    last = _read_date("--until", until) if until else None
    first = first or (last or today).replace(day=1)
    last = last or _month_end(first if since else today)
    if last < first:
        raise LedgerError(f"--until ({last.isoformat()}) is before --since ({first.isoformat()}).")
    return Period(first, last, zone)


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _read_date(name: str, text: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise LedgerError(f"{name} must be a date written YYYY-MM-DD, not {text!r}.")
    if not 2000 <= day.year <= 2100:
        raise LedgerError(f"{name} {text!r} is not a year this service has records for.")
    return day


def place_scope(session, code: str | None) -> tuple[Scope, str]:
    """The scope and the name for the title row: one place and everything under it, or everything."""
    if not code:
        townships = list(session.scalars(select(Place.name).where(Place.kind == PlaceKind.township)))
        return EVERYTHING, townships[0] if len(townships) == 1 else "全部"
    place = session.scalar(select(Place).where(Place.code == code.strip()))
    if place is None:
        raise LedgerError(f"No place has the code {code!r}; the codes are the first column of the roster's places.")
    ids = frozenset(place_ids_under(session, place.id))
    # A township's ledger holds the calls from callers the roster does not place, as its leader's board does.
    return Scope(everything=False, place_ids=ids, unplaced=place.kind == PlaceKind.township), place.name


def in_places(scope: Scope, column):
    """A WHERE clause: the place in `column` (a household's, a team's) is within the scope."""
    return true() if scope.everything else column.in_(scope.place_ids)
