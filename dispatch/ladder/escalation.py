"""When no team accepts: the gacha secretary is told, then the township leader; the herder hears the truth."""
from datetime import timedelta

from sqlalchemy import select

from models import Event, Leader, LeaderRole, Place, PlaceKind, RequestStatus

from ..messaging import outbox, texts
from ..messaging.names import place_name

LEVELS = {1: LeaderRole.gacha_secretary, 2: LeaderRole.township_leader}


def escalate(session, request, now, settings, why: str) -> None:
    """Leaders hold the request now: tell the gacha secretary at once, the township leader if it stays open."""
    if request.status == RequestStatus.escalated:
        return
    request.status = RequestStatus.escalated
    Event.record(session, request, "escalated", now, detail=why)
    outbox.record_sms(session, key=f"req-{request.id}-escalated{_round_suffix(request)}", to=request.caller_phone,
                      template="escalated_herder", language=str(request.language), now=now, request=request,
                      ref=request.ref)
    # A caller the roster does not place has no gacha secretary; township leaders see such calls.
    notify_level(session, request, 1 if request.place is not None else 2, now, settings)


def _round_suffix(request) -> str:
    """'' the first time a request is escalated, '-r2', '-r3'… after a leader's reassignment ran out too,
    so each round's texts are new messages rather than the first round's, found again by their key."""
    rounds = sum(1 for event in request.events if event.kind == "escalated")
    return f"-r{rounds}" if rounds > 1 else ""


def notify_level(session, request, level: int, now, settings) -> None:
    """Text the leaders of one escalation level; with nobody at that level, go straight to the next."""
    while level in LEVELS:
        leaders = leaders_for(session, request.place, LEVELS[level])
        request.escalation_level = level
        if leaders:
            for leader in leaders:
                text_leader(session, request, leader, level, now)
            Event.record(session, request, "leaders_told", now,  # by SMS: what became of it follows
                          detail="短信：" + "、".join(f"{leader.name}（{leader.phone}）" for leader in leaders))
            if level + 1 in LEVELS:
                outbox.schedule(session, "dispatch.runtime.jobs.escalate_further", request.id, level + 1,
                                job_id=f"escalate-{request.id}-{level + 1}{_round_suffix(request)}",
                                at=now + timedelta(seconds=settings["OFFER_TIMEOUT_SECONDS"]))
            return
        level += 1
    Event.record(session, request, "no_leader", now, detail="名册中没有可通知的领导")


def escalate_further(session, request, level: int, now, settings) -> None:
    """Still held by nobody after the secretary was told: the township leader hears of it."""
    if request.status == RequestStatus.escalated and request.escalation_level < level:
        notify_level(session, request, level, now, settings)


def leaders_for(session, place: Place | None, role: LeaderRole) -> list[Leader]:
    """Leaders with `role` over the request's place: its gacha's secretary, its township's leader."""
    if place is None:
        # Where the caller is unknown, every township leader hears of it (secretaries cannot see such calls).
        if role != LeaderRole.township_leader:
            return []
        return list(session.scalars(select(Leader).where(Leader.role == role).order_by(Leader.id)))
    kinds = (PlaceKind.gacha, PlaceKind.community) if role == LeaderRole.gacha_secretary else (PlaceKind.township,)
    place_ids = [p.id for p in place.lineage() if p.kind in kinds]
    return list(session.scalars(
        select(Leader).where(Leader.role == role, Leader.place_id.in_(place_ids)).order_by(Leader.id)
    ))


def text_leader(session, request, leader, level, now) -> None:
    """Record the escalation SMS to one leader (once per request, level and round)."""
    language = leader.text_language
    outbox.record_sms(
        session, key=f"req-{request.id}-esc{level}-{leader.id}{_round_suffix(request)}", to=leader.phone,
        template="escalated_leader",
        language=language, now=now, request=request, ref=request.ref,
        need=texts.category_name(request.category, language),
        place=place_name(request.place, language), phone=request.caller_phone,
        offers=len(request.offers),
    )
