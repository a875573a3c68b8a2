"""The Gammu gateway: SMS through a GSM/LTE modem that gammu-smsd drives, by way of its SQL tables.

A send writes the message into `outbox` (part 1) and `outbox_multipart` (parts 2…) in ONE transaction, the
way gammu-smsd-inject does: the daemon reads the parts right after it picks the outbox row, so a part
committed later would never leave. Each message carries our id in `CreatorID`, which gammu-smsd copies into
every `sentitems` row: that is how its delivery reports find our message (gammu_inbox.py reads them, and the
inbox, in the worker's loop). Our ids never use gammu's serial IDs, which start again when its database is
recreated. A modem has no voice line: it can neither read an offer aloud nor record a message.
"""
import logging
import os
import secrets
from datetime import timedelta

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from dispatch.messaging.gateway import SendError, Sent
from dispatch.messaging.phones import mask
from dispatch.runtime.unit_of_work import utcnow

from ..config import sqlalchemy_url
from . import sms_parts
from .gammu_health import ModemState, local_moment, modem_state, parts_used_today

log = logging.getLogger(__name__)
CREATOR_PREFIX = "hotline-"  # CreatorID of our messages; anything else in the tables is somebody else's
# gammu-smsd-inject's values: the longest validity, the normal class; reports asked for each message.
INSERT_OUTBOX = text('INSERT INTO outbox ("DestinationNumber", "Text", "TextDecoded", "Coding", "UDH", "Class", '
                     '"MultiPart", "DeliveryReport", "CreatorID", "SenderID", "RelativeValidity") '
                     "VALUES (:to, :hex, :part, :coding, :udh, -1, :multipart, 'yes', :creator, :sender, 255) "
                     'RETURNING "ID"')
INSERT_PART = text('INSERT INTO outbox_multipart ("ID", "SequencePosition", "Text", "TextDecoded", "Coding", '
                   '"UDH", "Class") VALUES (:id, :seq, :hex, :part, :coding, :udh, -1)')
# Serializes the daily-limit check and the insert across workers (a constant key in gammu's database).
SEND_LOCK = 0x68_6F_74_31


class GammuDatabase:
    """gammu-smsd's PostgreSQL database; one engine per process (a forked RQ work horse makes its own)."""

    def __init__(self, url: str):
        self.url = sqlalchemy_url(url)
        self._engine, self._pid = None, None

    @property
    def engine(self):
        """The engine of this process; a child never touches its parent's pooled connections."""
        if self._engine is None or self._pid != os.getpid():
            if self._engine is not None:
                self._engine.dispose(close=False)
            self._engine = create_engine(self.url, pool_pre_ping=True, pool_size=2, max_overflow=4,
                                         connect_args={"connect_timeout": 5, "application_name": "hotline"})
            self._pid = os.getpid()
        return self._engine


class GammuGateway:
    """Sends by writing gammu-smsd's outbox; has no voice. Delivery reports and inbound SMS are read by the
    worker's modem loop (gammu_inbox.py), since a modem calls nobody back."""

    replies_inline = False  # a modem cannot answer "in the response": every answer is an SMS of its own
    voice = False

    def __init__(self, database: GammuDatabase, settings: dict):
        self.database = database
        self.phone_id = settings["GAMMU_PHONE_ID"]
        self.settings = settings

    def send(self, to: str, body: str) -> Sent:
        """Queue one SMS for the modem, split into parts with their headers; SendError when the database is
        away (retried), the SIM's daily limit is reached (retried, then failed) or the text cannot be sent."""
        try:
            coding, parts = sms_parts.encode_message(body)
        except ValueError as error:
            raise SendError(str(error), code="too_long", permanent=True) from error
        creator = CREATOR_PREFIX + secrets.token_hex(12)
        try:
            connection = self.database.engine.connect()
        except SQLAlchemyError as error:
            raise SendError(f"gammu database unreachable: {type(error).__name__}", code="unreachable") from error
        with connection:
            try:
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEND_LOCK})
                self._check_limit(connection, len(parts))
                self._insert(connection, to, coding, parts, creator)
            except SQLAlchemyError as error:
                connection.rollback()
                raise SendError(f"gammu database refused the message: {type(error).__name__}",
                                code="unreachable") from error
            try:
                connection.commit()
            except SQLAlchemyError as error:  # asked to commit, no answer: the row may be there
                raise SendError("gammu database did not confirm the message", code="timeout",
                                in_doubt=True) from error
        log.info("SMS to %s queued for the modem in %d part(s)", mask(to), len(parts))
        return Sent(provider_sid=creator)

    def _check_limit(self, connection, parts: int) -> None:
        limit = self.settings["GAMMU_DAILY_LIMIT"]
        if limit and parts_used_today(connection, self.settings, utcnow()) + parts > limit:
            raise SendError(f"the modem's daily limit of {limit} SMS is reached", code="daily_limit")

    def _insert(self, connection, to: str, coding: str, parts: list[tuple[str, str]], creator: str) -> int:
        udh, first = parts[0]
        outbox_id = connection.execute(INSERT_OUTBOX, {
            "to": to, "hex": sms_parts.text_hex(first), "part": first, "coding": coding, "udh": udh,
            "multipart": len(parts) > 1, "creator": creator, "sender": self.phone_id or None}).scalar_one()
        for seq, (udh, part) in enumerate(parts[1:], 2):
            connection.execute(INSERT_PART, {"id": outbox_id, "seq": seq, "hex": sms_parts.text_hex(part),
                                             "part": part, "coding": coding, "udh": udh})
        return outbox_id

    def find_sent(self, to: str, body: str, since) -> Sent | None:
        """Our message with this text to `to`, queued since `since` (waiting in outbox, or already sent)."""
        query = text(
            'SELECT \'queued\' AS src, "CreatorID", 1 AS "SequencePosition", "Text", "TextDecoded", "Coding", "UDH" '
            'FROM outbox WHERE "DestinationNumber" = :to AND "CreatorID" LIKE :ours AND "InsertIntoDB" >= :since '
            'UNION ALL SELECT \'queued\', o."CreatorID", m."SequencePosition", m."Text", m."TextDecoded", m."Coding", '
            'm."UDH" FROM outbox_multipart m JOIN outbox o ON o."ID" = m."ID" '
            'WHERE o."DestinationNumber" = :to AND o."CreatorID" LIKE :ours AND o."InsertIntoDB" >= :since '
            'UNION ALL SELECT \'sent\', "CreatorID", "SequencePosition", "Text", "TextDecoded", "Coding", "UDH" '
            'FROM sentitems WHERE "DestinationNumber" = :to AND "CreatorID" LIKE :ours AND "InsertIntoDB" >= :since '
            'ORDER BY 1, 2, 3')
        with self.database.engine.connect() as connection:
            rows = connection.execute(query, {"to": to, "ours": CREATOR_PREFIX + "%",
                                              "since": local_moment(connection, since - timedelta(minutes=5))})
            messages: dict[tuple[str, str], list[dict]] = {}
            for row in rows.mappings():  # a message moving from outbox to sentitems may show in both: apart
                messages.setdefault((row["src"], row["CreatorID"]), []).append(dict(row))
        for (_, creator), parts in messages.items():
            if sms_parts.join_parts(parts) == body:
                return Sent(provider_sid=creator)
        return None

    def modem_state(self, now) -> ModemState:
        """How the modem is doing: waiting messages, the last send, today's count against the limit."""
        return modem_state(self.database, self.settings, now)

    def read_offer(self, to: str, call_id: int) -> Sent:
        """A modem cannot read an offer aloud: never retried (dispatch/ sends an SMS instead)."""
        raise SendError("a GSM modem has no voice line", code="no_voice", permanent=True)

    def read_checkin(self, to: str, call_id: int) -> Sent:
        """A modem cannot ring a household either (dispatch/ checks in by SMS only, VOICE_CALLS off)."""
        raise SendError("a GSM modem has no voice line", code="no_voice", permanent=True)

    def fetch_recording(self, url: str) -> tuple[bytes, str] | None:
        """No voice messages on a modem."""
        return None
