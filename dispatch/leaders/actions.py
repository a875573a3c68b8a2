"""What a leader does to a request from the dashboard: reassign, cancel, close with a note, add a note.

Each takes ids, the acting leader and `now`, flushes but never commits, and leaves an event with the leader's
name. What people are told:
- reassign: the chosen team's members get the offer (and accept it as any offer); teams whose offer is withdrawn,
  or that held the request, are told they need not go; the herder is told which team it went to, and when that
  team accepts, the usual "who is coming" SMS. If nobody accepts in time the ladder goes on as usual.
- cancel: the herder is told it is withdrawn and may text or call again; teams involved are told not to go.
- close: the herder gets the usual closing SMS (and may answer whether it was solved); teams are told.
- note: nobody is texted; it is for the timeline.
- sub-category: nobody is texted; the request is filed under another service of the catalogue.
"""
from datetime import timedelta

from models import OPEN_STATUSES, Contact, Event, Offer, OfferStatus, RequestStatus, Team

from ..ladder.offers import lock_request, schedule_expiry, send_offer
from ..ladder.ranking import road_km
from ..messaging import outbox
from ..messaging.names import team_name
from ..requests.subcategories import NAMES as SUBCATEGORY_NAMES

ROLE_NAMES = {"gacha_secretary": "嘎查书记", "township_leader": "镇领导", "admin": "管理员",
              "market_regulator": "市场监管"}
MAX_NOTE = 1000


def leader_actor(leader) -> str:
    """How a leader appears in a timeline: name and role."""
    return f"{leader.name}（{ROLE_NAMES.get(str(leader.role), str(leader.role))}）"


def reassign(session, request_id: int, team_id: int, leader, now, settings) -> str:
    """Give the request to the chosen team: 'reassigned', 'not_open', 'same_team' or 'no_team'."""
    request = lock_request(session, request_id)
    if request is None or request.status not in OPEN_STATUSES:
        return "not_open"
    team = session.get(Team, team_id)
    if team is None:
        return "no_team"
    current = [o for o in request.offers if o.status in (OfferStatus.open, OfferStatus.accepted)]
    if any(o.team_id == team.id for o in current):
        return "same_team"
    round_ = 1 + sum(1 for event in request.events if event.kind == "reassigned")
    before = "、".join(o.team.name for o in current)
    _withdraw(session, request, current, round_, now)
    request.holder_team_id, request.holder_member, request.accepted_at = None, None, None
    offer = next((o for o in request.offers if o.team_id == team.id), None)
    if offer is None:  # one offer row per team and request: a team asked before gets its row reopened
        offer = Offer(request=request, team=team)
        session.add(offer)
    offer.status, offer.created_at, offer.decided_at, offer.decided_by = OfferStatus.open, now, None, None
    offer.expires_at = now + timedelta(seconds=settings["OFFER_TIMEOUT_SECONDS"])
    offer.reason = f"{leader_actor(leader)}改派"
    offer.distance_km = None if request.lat is None or request.lon is None else round(
        road_km(request.lat, request.lon, team.base_lat, team.base_lon, settings["DETOUR_FACTOR"]), 1)
    request.status = RequestStatus.offered
    Event.record(session, request, "reassigned", now, actor=leader_actor(leader),
                  detail=f"改派给{team.name}" + (f"（原为{before}）" if before else ""))
    session.flush()
    send_offer(session, offer, now, round_=round_)
    schedule_expiry(session, offer, job_id=f"expire-{offer.id}-r{round_}")
    outbox.record_sms(session, key=f"req-{request.id}-reassigned{round_}", to=request.caller_phone,
                      template="reassigned_herder", language=str(request.language), now=now, request=request,
                      ref=request.ref, team=team_name(team, str(request.language)))
    return "reassigned"


def cancel_request(session, request_id: int, leader, note: str, now) -> str:
    """Cancel an open request: 'cancelled' or 'not_open'."""
    return _finish(session, request_id, leader, note, now, RequestStatus.cancelled)


def close_request(session, request_id: int, leader, note: str, now) -> str:
    """Close an open request as done, with the leader's note: 'done', 'not_open' or 'no_note'."""
    if not _clean(note):
        return "no_note"
    return _finish(session, request_id, leader, note, now, RequestStatus.done)


def add_note(session, request_id: int, leader, note: str, now) -> str:
    """Put a leader's note on the request's timeline: 'noted', 'no_note' or 'not_found'."""
    request = lock_request(session, request_id)
    if request is None:
        return "not_found"
    if not _clean(note):
        return "no_note"
    Event.record(session, request, "note", now, actor=leader_actor(leader), detail=_clean(note))
    return "noted"


def set_subcategory(session, request_id: int, code: str | None, leader, now) -> str:
    """File the request under a service of the catalogue (or none): 'set', 'unchanged', 'unknown' or 'not_found'."""
    if code is not None and code not in SUBCATEGORY_NAMES:
        return "unknown"
    request = lock_request(session, request_id)
    if request is None:
        return "not_found"
    if request.subcategory == code:
        return "unchanged"
    request.subcategory = code
    Event.record(session, request, "subcategory", now, actor=leader_actor(leader),
                 detail=SUBCATEGORY_NAMES.get(code, "无细类"))
    return "set"


def _finish(session, request_id, leader, note, now, status) -> str:
    request = lock_request(session, request_id)
    if request is None or request.status not in OPEN_STATUSES:
        return "not_open"
    involved = [o for o in request.offers if o.status in (OfferStatus.open, OfferStatus.accepted)]
    _withdraw(session, request, [o for o in involved if o.status == OfferStatus.open], 0, now)
    _tell_teams(session, request, [o for o in involved if o.status == OfferStatus.accepted], 0, now)
    request.status, request.closed_at = status, now
    kind = "cancelled" if status == RequestStatus.cancelled else "closed"
    Event.record(session, request, kind, now, actor=leader_actor(leader), detail=_clean(note))
    if status == RequestStatus.done:  # closed as done, it reached the household (a register contact)
        Contact.request_done(session, request, now, note=_clean(note))
    template = "cancelled_herder" if status == RequestStatus.cancelled else "closing"
    outbox.record_sms(session, key=f"req-{request.id}-{'cancelled' if kind == 'cancelled' else 'closing'}",
                      to=request.caller_phone, template=template, language=str(request.language), now=now,
                      request=request, ref=request.ref)
    return str(status)


def _withdraw(session, request, offers, round_: int, now) -> None:
    """The offers stop counting (superseded) and their teams are told they need not go."""
    for offer in offers:
        offer.status, offer.decided_at = OfferStatus.superseded, now
    _tell_teams(session, request, offers, round_, now)


def _tell_teams(session, request, offers, round_: int, now) -> None:
    # Not keyed "offer-<id>-…": delivery.offer_unreachable reads those as the offer's own texts.
    for offer in offers:
        for member in offer.team.members:
            key = f"req-{request.id}-withdrawn{round_}-{offer.id}-{member.id}"
            outbox.record_sms(session, key=key, to=member.phone,
                              template="withdrawn_team", language=member.text_language, now=now,
                              request=request, offer=offer, ref=request.ref)


def _clean(note: str | None) -> str:
    return (note or "").strip()[:MAX_NOTE]
