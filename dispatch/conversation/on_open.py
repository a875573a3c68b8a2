"""A herder's text while a request of theirs is open: never absorbed in silence, never a new request for the
same need. An emergency word makes the request an emergency and dispatches it as one; a different need
(another category, by digit or keyword) is left to open a request of its own; anything else is detail,
passed to the team that holds the request (or is offered it), and answered with one short text."""
from datetime import timedelta

from sqlalchemy import select

from models import Event, InboundMessage, OfferStatus, Request, RequestStatus

from ..ladder import emergency, offers
from ..ladder.declines import still_asked
from ..messaging import outbox, texts
from ..messaging.names import team_name

EMERGENCY = emergency.EMERGENCY
DETAIL_CHARS = 42  # of the herder's words passed on: with the header, two SMS at most
SAME_TEXT = timedelta(hours=24)  # the same words again within this long are stored, not answered again


def pick_request(opens: list[Request], message) -> Request | None:
    """The open request a text belongs to (newest first in `opens`), or None when it names a different need."""
    if message is None or not message.named:
        return opens[0]
    if message.category == EMERGENCY:
        return next((r for r in opens if r.is_emergency), opens[0])
    return next((r for r in opens if r.category == message.category), None)


def answer_on_open(session, inbound: InboundMessage, request: Request, message, now, settings) -> str:
    """Join the text to the open request, act on it, and return the herder's answer ("" for a repeat)."""
    inbound.request = request
    Event.record(session, request, "message", now, actor=inbound.from_phone, detail=inbound.body)
    language = str(request.language)
    if message is not None and message.category == EMERGENCY and not request.is_emergency:
        emergency.dispatch_as_emergency(session, offers.lock_request(session, request.id), now, settings)
        _pass_on(session, inbound, request, now)  # those who hold it or are offered it read the words too
        return texts.render("emergency_upgraded", language, ref=request.ref)
    if said_before(session, inbound, request):
        return ""  # a flood of the same words: each stored on the timeline, answered once
    passed = _pass_on(session, inbound, request, now) if message is not None else False
    if request.status == RequestStatus.accepted and request.holder_member is not None:
        return texts.render("detail_passed" if passed else "still_open_held", language, ref=request.ref,
                            team=team_name(request.holder_team, language), phone=request.holder_member.phone)
    return texts.render("still_open", language, ref=request.ref)


def said_before(session, inbound: InboundMessage, request: Request | None) -> bool:
    """Whether the sender wrote these very words (about the same request, or about none) within SAME_TEXT."""
    return session.scalar(select(InboundMessage.id).where(
        InboundMessage.from_phone == inbound.from_phone, InboundMessage.body == inbound.body,
        InboundMessage.id != inbound.id, InboundMessage.received_at >= inbound.received_at - SAME_TEXT,
        InboundMessage.request_id == request.id if request is not None else InboundMessage.request_id.is_(None),
    ).limit(1)) is not None


def _pass_on(session, inbound: InboundMessage, request: Request, now) -> bool:
    """Text the herder's words to whoever has the request in hand: the member who accepted it, or the members
    of the teams it is offered to (not those who said no). False when nobody has it yet (leaders see it)."""
    if request.status == RequestStatus.accepted and request.holder_member is not None:
        people = [request.holder_member]
    elif request.status == RequestStatus.offered:
        people = [member for offer in request.offers if offer.status == OfferStatus.open
                  for member in still_asked(session, offer)]
    else:
        return False
    household = request.household
    for member in people:
        language = member.text_language
        name = household.head_name if household else texts.render("unknown_caller", language)
        outbox.record_sms(session, key=f"detail-{inbound.id}-{member.id}", to=member.phone, template="herder_detail",
                          language=language, now=now, request=request, ref=request.ref, name=name,
                          phone=request.caller_phone, text=inbound.body.strip()[:DETAIL_CHARS])
    return bool(people)
