"""What leaders read on the dashboard: the open-calls board and one request's whole story.

Plain dicts of plain values (times as aware datetimes, statuses as their string values); the dashboard
turns them into words in the reader's language.
"""
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from models import (FINAL_FAILURES, OPEN_STATUSES, Call, Event, InboundMessage, Offer, OfferStatus, OutboundMessage,
                    OutboundStatus, Request, RequestStatus)

from ..sharing.prices import PRICE_REPORT
from .scope import Scope

# Events whose detail says why leaders hold a request: the ladder's escalation, a price report passed on.
ESCALATION_REASONS = ("escalated", "regulator_told", "no_regulator")
BOARD_LIMIT = 500  # open calls on one board; more than this is a crisis the page says out loud


def board_order(row: dict) -> tuple:
    """Escalated first (a price report, which leaders hold from the start, is not), then emergencies, then
    households marked red on the register, then the oldest."""
    return (row["status"] != "escalated" or row["category"] == PRICE_REPORT, row["category"] != 9,
            row.get("risk") != "red", row["created_at"], row["ref"])


def age_minutes(created_at, now) -> int:
    """Whole minutes since `created_at`."""
    return max(0, int((now - created_at).total_seconds() // 60))


def open_calls(session, scope: Scope, now, category: int | None = None, subcategory: str | None = None) -> list[dict]:
    """Every open request in scope as a board row, escalated and oldest first; only one category or
    sub-category when asked."""
    wanted = [Request.category == category] if category is not None else []
    wanted += [Request.subcategory == subcategory] if subcategory is not None else []
    requests = list(session.scalars(
        select(Request).where(Request.status.in_(OPEN_STATUSES), scope.requests(), *wanted)
        .options(selectinload(Request.place), selectinload(Request.holder_team), selectinload(Request.household),
                 selectinload(Request.offers).selectinload(Offer.team))
        .order_by(Request.created_at, Request.id).limit(BOARD_LIMIT)
    ))
    ids = [r.id for r in requests]
    last = _last_messages(session, ids)
    failures = _failures(session, ids)
    why = _escalation_reasons(session, [r.id for r in requests if r.status == RequestStatus.escalated])
    rows = [_row(r, now, last.get(r.id), failures.get(r.id, 0), why.get(r.id)) for r in requests]
    return sorted(rows, key=board_order)


def _row(request: Request, now, last: OutboundMessage | None, failures: int, why: str | None) -> dict:
    waiting = [o.team.name for o in request.offers if o.status == OfferStatus.open]
    return {
        "ref": request.ref, "status": str(request.status), "category": request.category, "text": request.text,
        "subcategory": request.subcategory,
        "channel": request.channel, "created_at": request.created_at,
        "age_minutes": age_minutes(request.created_at, now),
        "place": request.place.name if request.place else None,
        "caller": request.household.head_name if request.household else None, "phone": request.caller_phone,
        # The register's colour when the household is on it (w12): red comes right after emergencies.
        "risk": str(request.household.risk) if request.household and request.household.on_register
        and request.household.risk else None,
        "lat": request.lat, "lon": request.lon,
        "holder": request.holder_team.name if request.holder_team else None,
        "waiting_on": waiting[0] if waiting else None, "offers": len(request.offers),
        "last_message": None if last is None else {"status": str(last.status), "template": last.template,
                                                   "error_code": last.error_code, "at": last.created_at},
        "failed_messages": failures, "escalation_reason": why,
    }


def _last_messages(session, ids) -> dict[int, OutboundMessage]:
    if not ids:
        return {}
    latest = (select(func.max(OutboundMessage.id))
              .where(OutboundMessage.request_id.in_(ids), OutboundMessage.status != OutboundStatus.replied)
              .group_by(OutboundMessage.request_id))
    return {m.request_id: m for m in session.scalars(select(OutboundMessage).where(OutboundMessage.id.in_(latest)))}


def _failures(session, ids) -> dict[int, int]:
    if not ids:
        return {}
    return dict(session.execute(
        select(OutboundMessage.request_id, func.count())
        .where(OutboundMessage.request_id.in_(ids), OutboundMessage.status.in_(FINAL_FAILURES))
        .group_by(OutboundMessage.request_id)).all())


def _escalation_reasons(session, ids) -> dict[int, str]:
    reasons = {}
    if ids:
        for request_id, detail in session.execute(select(Event.request_id, Event.detail).where(
                Event.request_id.in_(ids), Event.kind.in_(ESCALATION_REASONS)).order_by(Event.id)):
            reasons[request_id] = detail
    return reasons


def timeline(session, request: Request) -> list[dict]:
    """Every event and every SMS in and out of the request, oldest first; SMS out with their status history."""
    items = [{"at": e.at, "order": (0, e.id), "type": "event", "kind": e.kind, "actor": e.actor, "detail": e.detail}
             for e in request.events]
    for m in session.scalars(select(InboundMessage).where(InboundMessage.request_id == request.id)):
        items.append({"at": m.received_at, "order": (1, m.id), "type": "in", "phone": m.from_phone, "body": m.body,
                      "sender_kind": m.sender_kind})
    for m in session.scalars(select(OutboundMessage).where(OutboundMessage.request_id == request.id)
                             .options(selectinload(OutboundMessage.history))):
        items.append({"at": m.created_at, "order": (2, m.id), "type": "out", "phone": m.to_phone, "body": m.body,
                      "template": m.template, "status": str(m.status), "error_code": m.error_code,
                      "history": [{"at": h.at, "status": h.status, "error_code": h.error_code} for h in m.history]})
    items += calls_of(session, request)
    return sorted(items, key=lambda item: (item["at"], item["order"]))


def offers_of(request: Request) -> list[dict]:
    """The teams asked so far, in order, with what became of each offer."""
    return [{"team": o.team.name, "status": str(o.status), "km": o.distance_km, "created_at": o.created_at,
             "decided_at": o.decided_at, "decided_by": o.decided_by.name if o.decided_by else None,
             "reason": o.reason} for o in request.offers]


def recordings_of(session, request: Request) -> list[dict]:
    """The request's voice message, if it came by voice and the caller left one."""
    return [{"url": request.recording_url}] if request.recording_url else []


def calls_of(session, request: Request) -> list[dict]:
    """The phone calls tied to the request (the herder's, and offers read out to members), for the timeline."""
    return [{"at": c.started_at, "order": (3, c.id), "type": "call", "phone": c.from_phone, "to": c.to_phone,
             "kind": str(c.kind), "step": str(c.step), "keys": c.keys, "ended_at": c.ended_at}
            for c in session.scalars(select(Call).where(Call.request_id == request.id))]


def request_view(session, scope: Scope, ref: str, now) -> dict | None:
    """One request as its page shows it, or None when it is not in the scope: the request, its timeline,
    the ranking and its reasons, the offers made, its recordings and the teams it could be given to."""
    from .duty import teams_now
    from .scope import request_in_scope

    request = request_in_scope(session, scope, ref)
    if request is None:
        return None
    return {"request": request, "age_minutes": age_minutes(request.created_at, now),
            "timeline": timeline(session, request), "ranking": request.ranking or [], "offers": offers_of(request),
            "recordings": recordings_of(session, request), "teams": teams_now(session, scope, now),
            "open": request.status in OPEN_STATUSES}
