"""The worker's modem loop: every GAMMU_POLL_SECONDS, new SMS from gammu-smsd's `inbox` and delivery reports
from its `sentitems` (python worker.py runs it in a process beside the sweeper; make run in a thread).

An inbox row is marked Processed only after our InboundMessage is committed. A crash in between leaves it
unprocessed: it is read again, and its id (made from the row itself, so the same row always gives the same
id) finds the message already stored, so nothing is lost and nothing doubled. One reader works a gammu
database at a time (an advisory lock), however many workers run.
"""
import hashlib
import logging
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from dispatch.conversation.inbound import InboundSms
from dispatch.ladder import undelivered
from dispatch.runtime.unit_of_work import run_and_commit
from models import db

from ..sms import MAX_FIELD, NotStored, answer_sms, storable
from . import sms_parts
from .gammu import CREATOR_PREFIX

log = logging.getLogger(__name__)
READ_LOCK = 0x68_6F_74_32
BATCH = 200
# gammu-smsd stores a concatenated message's parts once it has them all (its MultipartTimeout); a group seen
# incomplete is given this long for its other rows to land before it is taken as it is.
MULTIPART_GRACE = timedelta(seconds=10)
UNREAD = text('SELECT "ID", "SenderNumber", "Text", "TextDecoded", "Coding", "UDH", "SMSCNumber", "RecipientID", '
              '"ReceivingDateTime", LOCALTIMESTAMP(0) - "UpdatedInDB" AS age FROM inbox WHERE NOT "Processed" '
              'AND (CAST(:phone AS text) = \'\' OR "RecipientID" = :phone) ORDER BY "ID" LIMIT :batch')
MARK = text('UPDATE inbox SET "Processed" = true WHERE "ID" = ANY(:ids)')
# Our messages with a row changed since the cursor, every part of each (a report updates some parts only).
REPORTS = text('SELECT "CreatorID", "SequencePosition", "Status", "UpdatedInDB" FROM sentitems WHERE "CreatorID" IN '
               '(SELECT "CreatorID" FROM sentitems WHERE "CreatorID" LIKE :ours AND "UpdatedInDB" >= '
               "COALESCE(CAST(:since AS timestamp), LOCALTIMESTAMP(0) - interval '1 day')) "
               'ORDER BY "CreatorID", "SequencePosition"')
# sentitems.Status in the words of the status history (Twilio's), which the ladder acts on.
STATUS = {"SendingOK": "sent", "SendingOKNoReport": "sent", "DeliveryPending": "sent", "DeliveryUnknown": "sent",
          "DeliveryOK": "delivered", "DeliveryFailed": "undelivered", "SendingError": "failed", "Error": "failed"}
REPORT_OVERLAP = timedelta(seconds=5)  # UpdatedInDB keeps whole seconds: look a little behind the cursor


def inbound_from(parts: list[dict], duty_number: str) -> InboundSms:
    """One message's inbox rows as the plain value every provider's SMS becomes."""
    first = parts[0]
    # From the first row alone, so the same row always gives the same id, and a new gammu database (whose
    # IDs start again) never gives an old one.
    fingerprint = hashlib.sha256(repr((first["ID"], first["SenderNumber"], str(first["ReceivingDateTime"]),
                                       first["Text"], first["UDH"])).encode()).hexdigest()[:32]
    form = {"Provider": "gammu", "InboxID": ",".join(str(p["ID"]) for p in parts),
            "SenderNumber": first["SenderNumber"], "SMSCNumber": first["SMSCNumber"],
            "RecipientID": first["RecipientID"], "ReceivingDateTime": str(first["ReceivingDateTime"]),
            "Coding": first["Coding"], "UDH": ";".join(p["UDH"] or "" for p in parts),
            "Parts": f"{len(parts)}/{sms_parts.expected_parts(parts)}"}
    return InboundSms(sid=f"gammu-{first['ID']}-{fingerprint}", from_raw=storable(first["SenderNumber"], 64),
                      to=duty_number or "", body=storable(sms_parts.join_parts(parts), MAX_FIELD), form=form)


def message_status(statuses: list[str]) -> str:
    """A message's status from its parts': failed or undelivered if any part is, delivered when all are."""
    words = [STATUS.get(status, "sent") for status in statuses]
    for worst in ("failed", "undelivered"):
        if worst in words:
            return worst
    return "delivered" if all(word == "delivered" for word in words) else "sent"


class ModemReader:
    """Reads one gammu database for the app: its unread inbox, and what changed in sentitems since last time."""

    def __init__(self, app):
        self.app = app
        self.database = app.extensions["hotline.sms_gateway"].database
        self.since = None  # sentitems' own clock, as it last showed us
        self.reported: dict[str, str] = {}  # CreatorID -> status passed on (saves asking our database again)

    def read_once(self) -> tuple[int, int]:
        """One pass: (messages taken from the inbox, reports passed on). Needs an app context."""
        with self.database.engine.connect() as connection:
            if not connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": READ_LOCK}).scalar():
                connection.rollback()
                return 0, 0  # another worker is reading this database now
            try:
                return self._take_inbox(connection), self._take_reports(connection)
            finally:
                connection.rollback()
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": READ_LOCK})
                connection.commit()

    def _take_inbox(self, connection) -> int:
        config = current_app.config
        rows = [dict(r) for r in connection.execute(UNREAD, {"phone": config["GAMMU_PHONE_ID"], "batch": BATCH})
                .mappings()]
        connection.commit()  # no snapshot held while our side works
        taken = 0
        for parts in sms_parts.group_parts(rows):
            if len(parts) < sms_parts.expected_parts(parts) and min(p["age"] for p in parts) < MULTIPART_GRACE:
                continue  # its other parts are still being written
            try:
                answer_sms(inbound_from(parts, config["TWILIO_FROM_NUMBER"]), inline=False, spool=False)
            except NotStored:
                log.warning("our database is away: inbox rows %s stay unprocessed for the next pass",
                            [p["ID"] for p in parts])
                return taken
            # Only now, with our copy committed: a crash before this line leaves the row to read again.
            connection.execute(MARK, {"ids": [p["ID"] for p in parts]})
            connection.commit()
            taken += 1
        return taken

    def _take_reports(self, connection) -> int:
        config, messages, newest = current_app.config, {}, self.since
        for row in connection.execute(REPORTS, {"ours": CREATOR_PREFIX + "%", "since": self.since}).mappings():
            messages.setdefault(row["CreatorID"], []).append(row["Status"])
            newest = row["UpdatedInDB"] if newest is None else max(newest, row["UpdatedInDB"])
        connection.commit()
        passed = 0
        for creator, statuses in messages.items():
            status = message_status(statuses)
            if self.reported.get(creator) == status:
                continue
            error = next((s for s in statuses if STATUS.get(s) == status), None) if status in (
                "failed", "undelivered") else None
            run_and_commit(lambda session, now: undelivered.record_report(session, creator, status, error, now,
                                                                          config))
            self.reported[creator] = status
            passed += 1
        if len(self.reported) > 20_000:
            self.reported.clear()  # only a saving: the status history ignores a report it already has
        if newest is not None:
            self.since = newest - REPORT_OVERLAP
        return passed


def read_forever(app, stop=lambda: False) -> None:
    """Read the modem's tables every GAMMU_POLL_SECONDS until `stop()` says so; a failed pass is tried again."""
    reader = ModemReader(app)
    while not stop():
        with app.app_context():
            try:
                reader.read_once()
            except (SQLAlchemyError, OSError):  # gammu's database or ours is away: the next pass finds the same
                log.warning("reading the modem's tables failed; trying again", exc_info=True)
            except Exception:  # never let one bad row stop the loop that brings every SMS in
                log.exception("reading the modem's tables failed")
            finally:
                db.session.remove()
        time.sleep(app.config["GAMMU_POLL_SECONDS"])
