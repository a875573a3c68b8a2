"""An emergency (category 9) is dispatched as one: its jobs go first (the urgent queue), two teams are offered
it at once and have EMERGENCY_OFFER_TIMEOUT_SECONDS to answer, and the gacha secretary and each offered
team's shift lead are texted as soon as it opens, not only once the ladder has run out."""
from datetime import timedelta


from models import Event, LeaderRole, OfferStatus, RequestStatus

from ..messaging import outbox, texts
from ..messaging.names import place_name, team_name
from .candidates import offered_members, shift_lead
from .escalation import leaders_for

EMERGENCY = 9
TEAMS_AT_ONCE = 2  # an emergency is offered to the two nearest able teams; the first to accept holds it


def width(request) -> int:
    """How many teams hold an open offer of the request at once."""
    return TEAMS_AT_ONCE if request.is_emergency else 1


def offer_seconds(request, settings) -> int:
    """How long a team has to accept this request."""
    return settings["EMERGENCY_OFFER_TIMEOUT_SECONDS" if request.is_emergency else "OFFER_TIMEOUT_SECONDS"]


def tell_secretary(session, request, now) -> None:
    """Text the gacha secretary of the emergency's place at once (township leaders where the caller is
    unplaced or the gacha has no secretary); once per request."""
    if any(event.kind == "emergency_told" for event in request.events):
        return
    leaders = leaders_for(session, request.place, LeaderRole.gacha_secretary) if request.place else []
    leaders = leaders or leaders_for(session, request.place, LeaderRole.township_leader)
    for leader in leaders:
        language = leader.text_language
        outbox.record_sms(session, key=f"req-{request.id}-emergency-{leader.id}", to=leader.phone,
                          template="emergency_leader", language=language, now=now, request=request, ref=request.ref,
                          place=place_name(request.place, language), phone=request.caller_phone)
    Event.record(session, request, "emergency_told", now, detail="紧急求助，已短信告知：" + (
        "、".join(f"{leader.name}（{leader.phone}）" for leader in leaders) if leaders else "名册中没有可通知的领导"))


def tell_lead(session, offer, now) -> None:
    """Text the offered team's shift lead that an emergency is on its way to the team, unless the lead is
    among those offered it (they already have it in hand)."""
    lead = shift_lead(session, offer)
    if lead is None or lead in offered_members(session, offer):
        return
    request, language = offer.request, lead.text_language
    outbox.record_sms(session, key=f"emergency-lead-{offer.id}", to=lead.phone, template="emergency_lead",
                      language=language, now=now, request=request, offer=offer, ref=request.ref,
                      team=team_name(offer.team, language), place=place_name(request.place, language))
    Event.record(session, request, "lead_told", now, detail=f"短信告知带班{lead.name}（{lead.phone}）：紧急派单")


def dispatch_as_emergency(session, request, now, settings) -> None:
    """A request that has just become an emergency (the herder's `9` or 急 on an open request): category 9,
    its open offer's time cut to the emergency timeout, a second team offered at once on the urgent queue,
    and the secretary told. Call it with the request's row locked (offers.lock_request); safe to call again."""
    if not request.is_emergency:
        Event.record(session, request, "emergency", now,
                     detail=f"改为紧急（原为{texts.category_name(request.category, 'zh')}）")
        request.category = EMERGENCY
    if request.status not in (RequestStatus.received, RequestStatus.offered):
        tell_secretary(session, request, now)  # held by a team or by leaders already: they hear of it now
        return
    due = now + timedelta(seconds=settings["EMERGENCY_OFFER_TIMEOUT_SECONDS"])
    for offer in request.offers:
        if offer.status == OfferStatus.open and offer.expires_at > due:
            offer.expires_at = due
            outbox.schedule(session, "dispatch.runtime.jobs.expire_offer", offer.id, urgent=True,
                            job_id=f"expire-{offer.id}-emergency", at=due + timedelta(seconds=1))
    outbox.schedule(session, "dispatch.runtime.jobs.dispatch_request", request.id, urgent=True,
                    job_id=f"dispatch-{request.id}-emergency")

