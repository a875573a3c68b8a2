"""The ladder: offer a request to the best team, take the first acceptance, move on when nobody accepts."""
import functools
from datetime import timedelta

from sqlalchemy import bindparam, select

from models import Contact, Event, Offer, OfferDecline, OfferStatus, Request, RequestStatus

from ..messaging import outbox, texts
from ..messaging.names import place_name, team_name
from ..sharing import delivery as sharing_delivery  # a neighbour-sharing delivery's offer and giver
from . import declines, emergency
from .candidates import current_shift, offered_members
from .escalation import escalate
from .nearby import rank_request

LADDER_STATUSES = (RequestStatus.received, RequestStatus.offered, RequestStatus.escalated)
# How long after a teammate (or another team) took an offer a late "yes" is told so, rather than "no offer".
TAKEN_WINDOW = timedelta(minutes=10)


def lock_request(session, request_id: int) -> Request | None:
    """Load a request with a row lock, so two workers or two members cannot act on it at once."""
    return session.scalar(_locked_request(), {"request_id": request_id})


@functools.cache
def _locked_request():
    """Built once: every job of the ladder asks it."""
    return (select(Request).where(Request.id == bindparam("request_id")).with_for_update()
            .execution_options(populate_existing=True))


def offer_to_next_team(session, request_id: int, now, settings) -> Offer | None:
    """Offer the request to the best team not yet asked (an emergency: the two best at once, emergency.py);
    escalate when the ladder is exhausted and no offer is still open. Returns the (first) offer made."""
    request = lock_request(session, request_id)
    if request is None or request.status not in (RequestStatus.received, RequestStatus.offered):
        return None
    if request.is_emergency:
        emergency.tell_secretary(session, request, now)
    still_open = sum(1 for offer in request.offers if offer.status == OfferStatus.open)
    wanted = emergency.width(request) - still_open
    if wanted <= 0:
        return None  # a job ran twice: the open offers stand
    ranked, skipped = rank_request(session, request, now, detour=settings["DETOUR_FACTOR"])  # as kept: nearby.kept
    request.ranking = [{"team": c.name, "km": c.km, "picked": i < wanted, "reason": c.reason}
                       for i, c in enumerate(ranked)] + \
                      [{"team": s.name, "km": s.km, "picked": False, "reason": s.reason} for s in skipped]
    # An emergency's first round takes two teams at once: it may ask one more team than MAX_OFFERS in all.
    most = settings["MAX_OFFERS"] + (emergency.width(request) - 1 if settings["MAX_OFFERS"] > 0 else 0)
    room = most - len(request.offers)
    picks = ranked[:min(wanted, room)]
    if not picks:
        if not still_open:  # the open offer of an emergency's other team may still be taken
            escalate(session, request, now, settings, why=f"{len(request.offers)}支服务队未接单" if room <= 0
                     else "没有值班且有车的空闲服务队")
        return None
    passed = "；".join(f"{s.name}：{s.reason}" for s in skipped[:3])
    made = [_make_offer(session, request, pick, now, settings, passed) for pick in picks]
    return made[0]


def _make_offer(session, request, pick, now, settings, passed: str) -> Offer:
    """One team's offer: its row, its SMS to the members on the shift, its timeout and halfway call."""
    seconds = emergency.offer_seconds(request, settings)
    offer = Offer(request=request, team_id=pick.team_id, distance_km=pick.km, created_at=now,
                  expires_at=now + timedelta(seconds=seconds))
    session.add(offer)
    request.status = RequestStatus.offered
    Event.record(session, request, "offered", now, detail=f"派给{pick.name}：{pick.reason}"
                  + (f"。跳过 {passed}" if passed else ""))
    session.flush()
    send_offer(session, offer, now)
    schedule_expiry(session, offer)
    if request.is_emergency:
        emergency.tell_lead(session, offer, now)
    # Halfway through, members who have not answered get a voice call that reads the offer (member_calls.py).
    outbox.schedule(session, "dispatch.runtime.jobs.call_offer_members", offer.id, job_id=f"call-offer-{offer.id}",
                    at=now + timedelta(seconds=seconds / 2), urgent=request.is_emergency)
    return offer


def schedule_expiry(session, offer: Offer, job_id: str | None = None) -> None:
    """Check the offer once its time is up; a second late, because RQ's scheduler keeps whole seconds."""
    outbox.schedule(session, "dispatch.runtime.jobs.expire_offer", offer.id, job_id=job_id or f"expire-{offer.id}",
                    at=offer.expires_at + timedelta(seconds=1), urgent=offer.request.is_emergency)


def send_offer(session, offer: Offer, now, round_: int = 0) -> None:
    """Text the offer to the members on the team's shift; `round_` > 0 when a leader reopens an offer (a fresh
    SMS key). Round 0 comes only from the offer's making, in the same transaction: its texts are new."""
    request = offer.request
    household = request.household
    # A new offer has no "no" yet; a reopened one skips the members who said it.
    for member in declines.still_asked(session, offer) if round_ else offered_members(session, offer):
        language = member.text_language
        key = f"offer-{offer.id}-{member.id}" + (f"-r{round_}" if round_ else "")
        # One job sends the whole offer, its texts side by side (each still claimed on its own).
        batch = f"offer-{offer.id}" + (f"-r{round_}" if round_ else "")
        if request.category == sharing_delivery.DELIVERY:  # names where to collect and where to bring
            sharing_delivery.record_offer_sms(session, offer, member, key, now, batch=batch)
            continue
        outbox.record_sms(
            session, key=key, to=member.phone, language=language, batch=batch, new=not round_,
            template="offer_callback" if request.channel == "missed" else "offer",
            now=now, request=request, offer=offer, ref=request.ref,
            need=texts.category_name(request.category, language),
            name=household.head_name if household else texts.render("unknown_caller", language), phone=request.caller_phone,
            place=place_name(request.place, language), km=offer.distance_km if offer.distance_km is not None else "?",
        )


def open_offers_for(session, member, now, late_window: timedelta) -> list[Offer]:
    """The offers the member's team may still take: open ones, and ones that timed out within `late_window`
    while nobody has accepted the request yet (a late "yes" still brings help sooner). Older ones are stale:
    they must not make a member type references for every new offer."""
    return list(session.scalars(
        select(Offer).join(Request).where(
            Offer.team_id == member.team_id,
            ~Offer.declines.any(OfferDecline.member_id == member.id),  # they said no: withdrawn from it
            (Offer.status == OfferStatus.open)
            | ((Offer.status == OfferStatus.expired) & (Offer.decided_at >= now - late_window)),
            Request.status.in_(LADDER_STATUSES),
        ).order_by(Offer.id)
    ))


def recently_taken_offer(session, member, now) -> Offer | None:
    """The member's team's offer that somebody else took in the last few minutes, if any: a second "yes" just
    after a teammate's. Older ones are long gone; a stray reply then hears that nothing is open for them."""
    return session.scalar(
        select(Offer).where(
            Offer.team_id == member.team_id,
            Offer.status.in_((OfferStatus.accepted, OfferStatus.superseded)),
            Offer.decided_at >= now - TAKEN_WINDOW,
            (Offer.decided_by_id != member.id) | Offer.decided_by_id.is_(None),
        ).order_by(Offer.decided_at.desc()).limit(1)
    )


def accept_offer(session, offer_id: int, member, now) -> str:
    """The member's team takes the request. Returns 'accepted', 'taken' (someone else has it) or 'stale'."""
    offer = session.get(Offer, offer_id)
    request = lock_request(session, offer.request_id)
    session.refresh(offer)
    if request.status in (RequestStatus.accepted, RequestStatus.done) and request.holder_team_id:
        return "taken"
    if request.status not in LADDER_STATUSES or offer.status not in (OfferStatus.open, OfferStatus.expired):
        return "stale"
    # A late "yes" from a team whose offer timed out still helps the herder sooner: it wins.
    for other in request.offers:
        if other.status == OfferStatus.open and other.id != offer.id:
            other.status, other.decided_at = OfferStatus.superseded, now
            _tell_team_taken(session, other, member, now)
    offer.status, offer.decided_at, offer.decided_by = OfferStatus.accepted, now, member
    request.status, request.accepted_at = RequestStatus.accepted, now
    request.holder_team_id, request.holder_member = offer.team_id, member
    # After a leader's reassignment the request is accepted a second time: the herder hears of that one too.
    earlier = sum(1 for event in request.events if event.kind == "accepted")
    Event.record(session, request, "accepted", now, actor=member.actor_name)
    session.flush()  # the partial unique index makes a second holder fail here, whatever happened above
    shift = current_shift(session, offer.team_id, now)
    vehicle = shift.vehicle.plate if shift and shift.vehicle else "—"
    language = str(request.language)
    outbox.record_sms(session, key=f"req-{request.id}-assigned" + (f"-{earlier + 1}" if earlier else ""),
                      to=request.caller_phone, template="assigned",
                      language=language, now=now, request=request, ref=request.ref,
                      team=team_name(offer.team, language), phone=member.phone, vehicle=vehicle)
    sharing_delivery.tell_giver(session, request, offer.team, member, now)  # the giver hears who comes
    _tell_team_taken(session, offer, member, now)
    return "accepted"


def _tell_team_taken(session, offer: Offer, taker, now) -> None:
    """The members the offer went to (who have not said no) hear who took it, and need not go."""
    for member in declines.still_asked(session, offer):
        if member.id == taker.id:
            continue
        outbox.record_sms(session, key=f"offer-{offer.id}-taken-{member.id}", to=member.phone,
                          template="taken_by", language=member.text_language, now=now,
                          request=offer.request, ref=offer.request.ref,
                          member=f"{taker.name}（{team_name(taker.team, member.text_language)}）")


def decline_offer(session, offer_id: int, member, reason: str, now, settings) -> str:
    """The member will not go. 'withdrawn': only they are (the offer stands for the others, who are told);
    'declined': the captain or shift lead spoke for the team, or everyone has said no, and the offer moves
    on at once (the others told which); 'stale': nothing open to decline."""
    offer = session.get(Offer, offer_id)
    request = lock_request(session, offer.request_id)
    session.refresh(offer)
    if offer.status != OfferStatus.open or request.status != RequestStatus.offered:
        return "stale"
    declines.record_decline(session, offer, member, reason, now)
    for_team = declines.speaks_for_team(session, offer, member)
    if not for_team and not declines.everyone_declined(session, offer):
        declines.tell_teammates(session, offer, member, "member_declined", now)
        return "withdrawn"
    why = f"{member.name}代表全队拒绝" if for_team else "队员均已拒绝"
    offer.status, offer.decided_at, offer.decided_by = OfferStatus.declined, now, member
    offer.reason = f"{why}：{reason}" if reason else why
    Event.record(session, request, "declined", now, actor=member.actor_name, detail=offer.reason)
    declines.tell_teammates(session, offer, member, "team_declined" if for_team else "all_declined", now)
    session.flush()
    offer_to_next_team(session, request.id, now, settings)
    return "declined"


def expire_offer(session, offer_id: int, now, settings, why: str = "超时未接单") -> bool:
    """Nobody accepted in time (or nobody could be reached): move on. False when nothing was due."""
    offer = session.get(Offer, offer_id)
    if offer is None:
        return False
    request = lock_request(session, offer.request_id)
    session.refresh(offer)
    if offer.status != OfferStatus.open:
        return False
    if now < offer.expires_at and why == "超时未接单":
        schedule_expiry(session, offer, f"expire-{offer.id}-again")  # woken early: look again when due
        return False
    offer.status, offer.decided_at, offer.reason = OfferStatus.expired, now, why
    Event.record(session, request, "expired", now, detail=f"{offer.team.name}：{why}")
    session.flush()
    offer_to_next_team(session, request.id, now, settings)
    return True


def report_done(session, request: Request, member, now) -> str:
    """The holding team reports the work done; the herder gets the closing SMS. 'done', 'not_holder' or 'stale'."""
    request = lock_request(session, request.id)
    if request.holder_team_id != member.team_id:
        return "not_holder"
    if request.status != RequestStatus.accepted:
        return "stale"
    request.status, request.closed_at = RequestStatus.done, now
    Event.record(session, request, "done", now, actor=member.actor_name)
    Contact.request_done(session, request, now, member=member)  # a contact, when the household is on the register
    outbox.record_sms(session, key=f"req-{request.id}-closing", to=request.caller_phone, template="closing",
                      language=str(request.language), now=now, request=request, ref=request.ref)
    sharing_delivery.thank_giver(session, request, now)  # the giver hears it reached the neighbour
    return "done"


def make_open_offers_due(session, now) -> int:
    """Training only (the simulator's button): every open offer times out now, so the ladder can be watched
    without waiting OFFER_TIMEOUT_SECONDS. Returns how many."""
    due = session.scalars(select(Offer).where(Offer.status == OfferStatus.open)).all()
    for offer in due:
        offer.expires_at = now
        outbox.schedule(session, "dispatch.runtime.jobs.expire_offer", offer.id, job_id=f"expire-{offer.id}-now")
    return len(due)
