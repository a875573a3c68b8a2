"""Dashboard sign-in: one-time codes sent to a leader's phone by SMS, kept only as hashes."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import db
from .roster import Leader


class LoginCode(db.Model):
    """A one-time sign-in code: valid until `expires_at`, for a few attempts, used at most once."""

    __tablename__ = "login_code"
    id: Mapped[int] = mapped_column(primary_key=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("leader.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None]
    # A hash of a secret kept in the browser session that asked for the code: only that session may type it,
    # so a stranger guessing at a leader's phone cannot use up the guesses of the code the leader holds.
    requester: Mapped[str | None] = mapped_column(String(64))

    leader: Mapped[Leader] = relationship()

    def usable(self, now: datetime, max_attempts: int) -> bool:
        """Not used, not expired, and not guessed at too often."""
        return self.used_at is None and now < self.expires_at and self.attempts < max_attempts
