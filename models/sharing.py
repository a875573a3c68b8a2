"""Neighbour medicine sharing: what residents can spare or need (and a place's own reserve), and the matches."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import db
from .household import Household
from .request import Request
from .roster import Language, Member, Place


class ShareKind(enum.StrEnum):
    """What a posting says: the sender can spare the item (have) or lacks it (need)."""

    have = "have"
    need = "need"


class SharePost(db.Model):
    """One have or need: a resident's or member's text, or a place's medicine reserve (储备药物) set by leaders.

    How much is still free is not stored: it is `quantity` less what its matches took (a cancelled delivery
    gives it back), so a match and its delivery can never disagree about the stock.
    """

    __tablename__ = "share_post"
    __table_args__ = (
        # One reserve row per place and item; leaders set its level.
        Index("uq_share_post_reserve", "place_id", "item", unique=True,
              postgresql_where=text("reserve"), sqlite_where=text("reserve")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(6), unique=True)  # drawn with the requests' own references
    kind: Mapped[ShareKind]
    item: Mapped[str] = mapped_column(String(20), index=True)  # a code of dispatch/sharing/items.py
    quantity: Mapped[int]
    text: Mapped[str] = mapped_column(Text, default="")  # what the sender wrote, kept
    phone: Mapped[str | None] = mapped_column(String(32), index=True)  # None for a reserve
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"), index=True)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    language: Mapped[Language] = mapped_column(default=Language.zh)  # what the sender is texted in
    reserve: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str] = mapped_column(String(120), default="")

    household: Mapped[Household | None] = relationship()
    member: Mapped[Member | None] = relationship()
    place: Mapped[Place | None] = relationship()


class ShareMatch(db.Model):
    """A have matched to a need, and the delivery request a team takes for it (its status is the match's)."""

    __tablename__ = "share_match"
    id: Mapped[int] = mapped_column(primary_key=True)
    have_id: Mapped[int] = mapped_column(ForeignKey("share_post.id"), index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("share_post.id"), index=True)
    quantity: Mapped[int]
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"), unique=True)
    created_at: Mapped[datetime]

    have: Mapped[SharePost] = relationship(foreign_keys=[have_id])
    need: Mapped[SharePost] = relationship(foreign_keys=[need_id])
    request: Mapped[Request] = relationship()
