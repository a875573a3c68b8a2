"""How the modem is doing, read from gammu-smsd's tables: what waits in the outbox, when it last sent, and how
many SMS the SIM has sent today against its daily limit. For /healthz, the dashboard and `flask gammu status`.

gammu-smsd writes its times as `timestamp without time zone` in the database session's own zone, so every
moment is compared inside PostgreSQL, in that zone (`local_moment`), never against this machine's clock.
"""
from dataclasses import asdict, dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

OK, STALLED, LIMIT_REACHED, UNREACHABLE = "ok", "stalled", "limit_reached", "unreachable"
# "This daemon's rows": with a PhoneID, the rows it sends and those any daemon may send; without, all of them.
MINE = '(CAST(:phone AS text) = \'\' OR COALESCE({table}"SenderID", \'\') IN (\'\', CAST(:phone AS text)))'
DAY_START = ("(date_trunc('day', CAST(:now AS timestamptz) AT TIME ZONE :zone) AT TIME ZONE :zone) "
             "AT TIME ZONE current_setting('TimeZone')")
NOW = "(CAST(:now AS timestamptz) AT TIME ZONE current_setting('TimeZone'))"
STATE = text(f"""
SELECT
  (SELECT count(*) FROM outbox WHERE {MINE.format(table='')}) AS waiting,
  (SELECT count(*) FROM outbox_multipart m JOIN outbox o ON o."ID" = m."ID" WHERE {MINE.format(table='o.')})
    AS waiting_parts,
  (SELECT EXTRACT(EPOCH FROM {NOW} - min("InsertIntoDB")) FROM outbox WHERE {MINE.format(table='')})
    AS oldest_waiting_seconds,
  (SELECT EXTRACT(EPOCH FROM {NOW} - max("SendingDateTime")) FROM sentitems WHERE {MINE.format(table='')})
    AS last_sent_seconds,
  (SELECT count(*) FROM sentitems WHERE {MINE.format(table='')} AND "SendingDateTime" >= {DAY_START}) AS sent_today
""")
PHONE = text('SELECT "ID", "Signal", "Battery", "NetName", "Sent", "Received", '
             f'EXTRACT(EPOCH FROM {NOW} - "UpdatedInDB") AS seen_seconds FROM phones '
             "WHERE CAST(:phone AS text) = '' OR \"ID\" = :phone ORDER BY \"UpdatedInDB\" DESC LIMIT 1")


@dataclass(frozen=True)
class ModemState:
    """The modem as the dashboard and /healthz show it; `state` is ok, stalled, limit_reached or unreachable."""

    state: str
    waiting: int = 0  # messages in the outbox
    oldest_waiting_minutes: int | None = None
    last_sent_minutes: int | None = None  # since the last part left; None: nothing sent yet
    sent_today: int = 0  # parts sent since local midnight (TIMEZONE), what a SIM's daily limit counts
    daily_limit: int = 0  # 0: none
    stall_minutes: int = 0
    phone: dict | None = None  # gammu-smsd's phones row: signal, battery, network, when it last wrote it
    error: str = ""

    def as_dict(self) -> dict:
        """For JSON."""
        return asdict(self)


def local_moment(connection, moment):
    """An aware moment as gammu's columns hold it: the database session's local time, without zone."""
    return connection.execute(text(f"SELECT {NOW}"), {"now": moment}).scalar_one()


def parts_used_today(connection, settings, now) -> int:
    """SMS parts the SIM has sent since local midnight, and those waiting to go: what its daily limit counts."""
    row = connection.execute(STATE, _parameters(settings, now)).mappings().one()
    return row["sent_today"] + row["waiting"] + row["waiting_parts"]


def _parameters(settings, now) -> dict:
    return {"now": now, "zone": settings["TIMEZONE"], "phone": settings["GAMMU_PHONE_ID"]}


def _minutes(seconds) -> int | None:
    return None if seconds is None else max(int(float(seconds) // 60), 0)


def modem_state(database, settings, now) -> ModemState:
    """Read the modem's state at `now`. Stalled: something has waited GAMMU_STALL_MINUTES and nothing has been
    sent for as long; limit reached: today's parts have reached GAMMU_DAILY_LIMIT."""
    limits = {"daily_limit": settings["GAMMU_DAILY_LIMIT"], "stall_minutes": settings["GAMMU_STALL_MINUTES"]}
    try:
        with database.engine.connect() as connection:
            row = connection.execute(STATE, _parameters(settings, now)).mappings().one()
            phone = connection.execute(PHONE, _parameters(settings, now)).mappings().first()
    except SQLAlchemyError as error:
        return ModemState(UNREACHABLE, error=type(error).__name__, **limits)
    oldest, last = _minutes(row["oldest_waiting_seconds"]), _minutes(row["last_sent_seconds"])
    stall = settings["GAMMU_STALL_MINUTES"]
    state = OK
    if row["waiting"] and oldest is not None and oldest >= stall and (last is None or last >= stall):
        state = STALLED
    elif limits["daily_limit"] and row["sent_today"] >= limits["daily_limit"]:
        state = LIMIT_REACHED
    seen = None if phone is None else {
        "id": phone["ID"], "signal": phone["Signal"], "battery": phone["Battery"], "network": phone["NetName"],
        "sent": phone["Sent"], "received": phone["Received"], "seen_minutes_ago": _minutes(phone["seen_seconds"])}
    return ModemState(state, waiting=row["waiting"], oldest_waiting_minutes=oldest, last_sent_minutes=last,
                      sent_today=row["sent_today"], phone=seen, **limits)
