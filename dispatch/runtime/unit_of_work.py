"""What every entry point (a webhook, a job) does around a dispatch call: the clock, one commit, the outbox."""
import logging
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy.exc import IntegrityError, OperationalError

from models import db

from ..messaging import outbox

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    """The current moment, time-zone aware in UTC: the `now` every dispatch call is given."""
    return datetime.now(timezone.utc)


def run_and_commit(action, attempts: int = 2):
    """Run `action(session, now)`, commit once, then release the outbox.

    A unique-constraint clash (the same webhook delivered twice at once, a reference drawn twice) is
    retried once on a fresh transaction, where the second try sees the first one's row.
    """
    for attempt in range(attempts):
        try:
            result = action(db.session, utcnow())
            db.session.commit()
        except (IntegrityError, OperationalError):
            db.session.rollback()
            outbox.discard(db.session)
            if attempt + 1 == attempts:
                raise
            log.info("retrying after a conflicting concurrent write", exc_info=True)
            continue
        outbox.flush(db.session, current_app.extensions["hotline.queue"])
        return result
