"""The access record: who read the register's personal information (a contact card, a ledger export), and when."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import db
from .roster import Leader, Place


class AccessRecord(db.Model):
    """One reading of the register's personal information: by a leader on the dashboard, or an operator's command."""

    __tablename__ = "access_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed: the admin page lists the newest first.
    at: Mapped[datetime] = mapped_column(index=True)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("leader.id"))  # None: a command on the server
    # Who, as the record shows them; kept as text so a leader who leaves the roster stays named.
    actor: Mapped[str] = mapped_column(String(200))
    what: Mapped[str] = mapped_column(String(60))  # contact_cards, ledger:<slug>, ledgers:all, register
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))  # None: every place

    leader: Mapped[Leader | None] = relationship()
    place: Mapped[Place | None] = relationship()
