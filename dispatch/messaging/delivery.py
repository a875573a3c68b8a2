"""Sending recorded SMS through the gateway, and what the provider later says about them.

A send is two short transactions around the network call, so no row lock is held while we wait on the
provider, and a worker killed mid-send leaves the message `sending`: the next attempt first asks the
provider whether it already has it, and sends again only when it does not (no SMS is doubled).
"""
import functools
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, func, or_, select, text

from models import Event, MessageStatusEvent, OutboundMessage, OutboundStatus

from .gateway import SendError
from .phones import mask
from .texts import segments

log = logging.getLogger(__name__)

# Provider statuses in the order a message passes through them; a late callback never moves a message back.
PROGRESS = {"queued": 1, "accepted": 1, "scheduled": 1, "sending": 2, "sent": 3, "receiving": 3, "received": 4,
            "delivered": 4, "undelivered": 4, "failed": 4, "canceled": 4, "partially_delivered": 4, "read": 5}
MAX_ATTEMPTS = 6
# An attempt younger than the send timeout plus this margin may still be on the wire: leave it alone.
IN_FLIGHT_MARGIN = timedelta(seconds=5)
# Templates counted against a daily budget of their own, never against SMS_DAILY_BUDGET: however often someone
# asks for a leader's sign-in codes, the texts that bring the leader an escalation still go (and back).
# What reached (or is reaching) the phone: sent by us, or answered inline by the provider (a webhook's TwiML).
GONE_OUT = (OutboundStatus.sending, OutboundStatus.sent, OutboundStatus.delivered, OutboundStatus.replied)
OWN_BUDGETS = {"login_code": "SIGNIN_SMS_DAILY_BUDGET", "signin_locked": "SIGNIN_SMS_DAILY_BUDGET"}


@dataclass(frozen=True)
class Claim:
    """A message claimed for one send attempt: recipient, text, and since when an earlier attempt is in doubt."""

    to: str
    body: str
    in_doubt_since: datetime | None  # set when an earlier attempt may have reached the provider


def claim(session, message_id: int, now, settings) -> Claim | None:
    """Mark the message `sending` and say what to send; None when there is nothing to do."""
    return claim_many(session, [message_id], now, settings)[message_id]


def claim_many(session, message_ids, now, settings) -> dict[int, Claim | None]:
    """`claim` for each message of a batch, their rows read (and locked, in id order) in one statement."""
    ids = sorted(set(message_ids))
    loaded = {message.id: message for message in session.scalars(_locked_messages(), {"ids": ids})}
    return {message_id: _claim(session, loaded.get(message_id), now, settings) for message_id in ids}


@functools.cache
def _locked_messages():
    """Messages by id, locked in id order (two copies of a batch never deadlock); built once."""
    return (select(OutboundMessage).where(OutboundMessage.id.in_(bindparam("ids", expanding=True)))
            .order_by(OutboundMessage.id).with_for_update().execution_options(populate_existing=True))


@functools.cache
def _early_reports():
    """Status callbacks kept before we knew which message their provider id was; built once."""
    return (select(MessageStatusEvent).where(MessageStatusEvent.provider_sid.in_(bindparam("sids", expanding=True)),
                                             MessageStatusEvent.message_id.is_(None))
            .order_by(MessageStatusEvent.id))


def _claim(session, message, now, settings) -> Claim | None:
    if message is None or message.status not in (OutboundStatus.pending, OutboundStatus.sending):
        return None  # already sent (a duplicate job) or never committed
    in_doubt = None
    if message.status == OutboundStatus.sending:
        in_flight = timedelta(seconds=settings["SEND_TIMEOUT_SECONDS"]) + IN_FLIGHT_MARGIN
        if message.attempted_at and now - message.attempted_at < in_flight:
            return None  # another worker is sending it right now
        in_doubt = message.attempted_at
    else:
        budget, sent_today, same_text = _gone_out_today(session, message, now)
        if sent_today >= settings[budget]:
            log.warning("daily SMS budget reached for %s; message %s not sent", mask(message.to_phone), message.id)
            _set_status(session, message, OutboundStatus.blocked, now, "budget")
            if message.request is not None:
                Event.record(session, message.request, "sms_blocked", now,
                              detail=f"{mask(message.to_phone)} 今日短信已达上限，未发送")
            return None
        # Carriers reject a third identical text in 24 hours.
        if same_text >= 2 and not _vary_or_hold(session, message, now, settings):
            return None
    message.status, message.attempted_at = OutboundStatus.sending, now
    message.attempts += 1
    return Claim(message.to_phone, message.body, in_doubt)


def record_sent(session, message_id: int, provider_sid: str, now, found: bool = False) -> None:
    """The provider has the message."""
    record_sent_many(session, [(message_id, provider_sid, found)], now)


def record_sent_many(session, sent, now) -> None:
    """The provider has these messages: (message id, provider id, found at the provider rather than sent
    now) each, their rows and the callbacks that came before we knew the ids read in one statement each."""
    sids = [provider_sid for _, provider_sid, _ in sent]
    _lock_sids(session, sids)
    ids = sorted(message_id for message_id, _, _ in sent)
    messages = {message.id: message for message in session.scalars(_locked_messages(), {"ids": ids})}
    early = session.scalars(_early_reports(), {"sids": sids}).all()
    for message_id, provider_sid, found in sent:
        message = messages[message_id]
        message.provider_sid, message.sent_at = provider_sid, message.sent_at or now
        if message.status in (OutboundStatus.pending, OutboundStatus.sending):
            _set_status(session, message, OutboundStatus.sent, now, "found" if found else None)
        for event in early:  # callbacks that came before we knew the id: apply them now, in order
            if event.provider_sid == provider_sid:
                event.message_id = message.id
                _move_forward(message, event.status, event.error_code)


def record_failure(session, message_id: int, error: SendError, now) -> str:
    """Keep the failure; 'failed' for good, or 'retry' (then the caller raises so RQ retries with backoff)."""
    message = session.get(OutboundMessage, message_id, with_for_update=True, populate_existing=True)
    if error.permanent or message.attempts >= MAX_ATTEMPTS:
        _set_status(session, message, OutboundStatus.failed, now, error.code)
        return "failed"
    # The provider answered "no" (5xx, 429, refused): it does not have it. A timeout leaves it in doubt.
    message.status = OutboundStatus.sending if error.in_doubt else OutboundStatus.pending
    session.add(MessageStatusEvent(message_id=message.id, at=now, status="retry", error_code=error.code))
    return "retry"


def record_provider_status(session, provider_sid: str, status: str, error_code, now) -> OutboundMessage | None:
    """Keep one status callback in the message's history; move its status forward only."""
    if len(provider_sid) > 64 or status not in PROGRESS:
        return None  # not a provider id or a status we know: nothing of ours to record
    error_code = (error_code or None) and str(error_code)[:20]
    _lock_sids(session, [provider_sid])
    message = session.scalar(select(OutboundMessage).where(OutboundMessage.provider_sid == provider_sid))
    if message is None:
        # Maybe ours, its id not yet recorded (the worker commits after Twilio answers): keep it for then.
        seen = session.scalar(select(MessageStatusEvent.id).where(
            MessageStatusEvent.provider_sid == provider_sid, MessageStatusEvent.status == status))
        if seen is None:
            session.add(MessageStatusEvent(provider_sid=provider_sid, at=now, status=status, error_code=error_code))
        return None
    if any(h.status == status and h.error_code == error_code for h in message.history):
        return message  # the same callback delivered twice
    message.history.append(MessageStatusEvent(at=now, status=status, error_code=error_code,
                                              provider_sid=provider_sid))
    _move_forward(message, status, error_code)
    return message


def _lock_sids(session, provider_sids: list[str]) -> None:
    """Serialize the worker recording provider ids and a callback reporting on one, so neither misses the
    other when they cross (PostgreSQL advisory locks for this transaction, one statement for a batch; a
    callback holds one lock at a time, so no deadlock; SQLite serializes writes anyway)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(sid)) FROM unnest(CAST(:sids AS text[])) AS sid"),
                        {"sids": list(provider_sids)})


def _move_forward(message, status: str, error_code) -> None:
    """Take a provider's final status; a late or repeated report never moves a message back."""
    current = PROGRESS.get(str(message.status), 3)
    if status in ("delivered", "undelivered", "failed") and PROGRESS[status] >= current:
        message.status = OutboundStatus(status)
        message.error_code = error_code or message.error_code


def _gone_out_today(session, message, now) -> tuple[str, int, int]:
    """The budget the message counts against (OWN_BUDGETS, else SMS_DAILY_BUDGET), the texts of that budget
    the phone has had in 24 hours, and how many of those were this very text: one statement."""
    budget = OWN_BUDGETS.get(message.template, "SMS_DAILY_BUDGET")
    sent_today, same_text = session.execute(_gone_out_query(budget), {
        "phone": message.to_phone, "body": message.body, "message_id": message.id or 0,  # 0: not stored yet
        "since": now - timedelta(hours=24)}).one()
    return budget, sent_today, same_text


@functools.cache
def _gone_out_query(budget: str):
    """Built once per budget, its lists as plain bound values: building it and expanding its IN lists for
    every text cost more than running it (it runs for every text sent and every webhook answer)."""
    sharing = [template for template, name in OWN_BUDGETS.items() if name == budget]
    same_budget = or_(*(OutboundMessage.template == t for t in sharing)) if sharing else \
        and_(*(OutboundMessage.template != t for t in OWN_BUDGETS))
    return select(
        func.count().filter(same_budget),
        func.count().filter(OutboundMessage.body == bindparam("body"),
                            OutboundMessage.id != bindparam("message_id", type_=OutboundMessage.id.type)),
    ).where(
        OutboundMessage.to_phone == bindparam("phone"), or_(*(OutboundMessage.status == s for s in GONE_OUT)),
        # The webhook's own answers (status replied, never attempted) count too: they reach the phone as well.
        func.coalesce(OutboundMessage.attempted_at, OutboundMessage.sent_at)
        >= bindparam("since", type_=OutboundMessage.sent_at.type),
    )


def admit_reply(session, message, now, settings) -> bool:
    """The repeat rule for a webhook's own answer, which no send job claims: a third identical text to one phone
    in 24 hours goes with the local time added, or is held (the timeline says which). True when it may go.

    `message` is new and is added here. The texts already gone out are counted before it is, without flushing
    the transaction's other changes (none of them is a text gone out): the webhook's rows then go in the
    commit's one flush, not in two."""
    with session.no_autoflush:
        repeated = _repeated(session, message, now)
    session.add(message)
    if not repeated:
        return True
    session.flush()  # a held answer's status row names it
    return _vary_or_hold(session, message, now, settings)


def _repeated(session, message, now) -> bool:
    """Whether the phone already had this very text twice in 24 hours (carriers reject a third)."""
    return _gone_out_today(session, message, now)[2] >= 2


def _vary_or_hold(session, message, now, settings) -> bool:
    """A third identical text: send it with the local time added, so it is a new text; where that would not fit
    its segments, hold it. Either way the request's timeline says so. True when it may go."""
    local = now.astimezone(ZoneInfo(settings.get("TIMEZONE") or "Asia/Shanghai")).strftime("%H:%M")
    varied = f"{message.body} {local}"
    if segments(varied) <= segments(message.body):
        message.body = varied
        if message.request is not None:
            Event.record(session, message.request, "sms_varied", now,
                         detail=f"{mask(message.to_phone)} 24小时内第三条相同短信，加上时间{local}后发送")
        return True
    _set_status(session, message, OutboundStatus.blocked, now, "repeat")
    if message.request is not None:
        Event.record(session, message.request, "sms_held", now,
                     detail=f"{mask(message.to_phone)} 24小时内已收到两条相同短信，此条未发送")
    return False


def _set_status(session, message, status, now, code=None):
    message.status, message.error_code = status, code or message.error_code
    session.add(MessageStatusEvent(message_id=message.id, at=now, status=str(status), error_code=code))
