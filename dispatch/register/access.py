"""The access record: the register is sensitive personal information (health, disability, pregnancy, children in
difficulty), so every card download, ledger export and register view is written down with who and when."""
from datetime import datetime, timezone

from sqlalchemy import func, select

from models import AccessRecord

COMMAND_LINE = "命令行"  # the actor of a command run on the server, where nobody is signed in


def record_access(session, leader, what: str, place_id: int | None, now: datetime | None = None) -> AccessRecord:
    """Write one access row: `leader` (None for a server command) read `what` for `place_id` (None: everywhere).

    `what`: contact_cards, ledger:<slug> (one ledger), ledgers:all, register (the register page)."""
    row = AccessRecord(at=now or datetime.now(timezone.utc), leader_id=leader.id if leader else None,
                       actor=f"{leader.name}（{leader.phone}）" if leader else COMMAND_LINE, what=what,
                       place_id=place_id)
    session.add(row)
    session.flush()
    return row


def recent_access(session, limit: int = 500) -> tuple[list[AccessRecord], int]:
    """The newest `limit` rows of the record, newest first, and how many rows there are in all."""
    rows = list(session.scalars(select(AccessRecord).order_by(AccessRecord.at.desc(), AccessRecord.id.desc())
                                .limit(limit)))
    return rows, session.scalar(select(func.count(AccessRecord.id)))
