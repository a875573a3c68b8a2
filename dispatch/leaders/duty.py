"""Who is on duty: each team now (shift, vehicle, what it holds), and a day's duty schedule per gacha."""
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import DutyShift, Offer, OfferStatus, Place, Request, RequestStatus, Team

from .scope import Scope


def teams_now(session, scope: Scope, now) -> list[dict]:
    """Every team in scope: on duty or not, with which vehicle and lead, its members and what it holds."""
    teams = list(session.scalars(select(Team).where(scope.teams())
                                 .options(selectinload(Team.members), selectinload(Team.place))))
    ids = [t.id for t in teams]
    shifts = {}
    for shift in session.scalars(DutyShift.covering(now).where(DutyShift.team_id.in_(ids))
                                 .options(selectinload(DutyShift.vehicle), selectinload(DutyShift.lead))
                                 .order_by(DutyShift.starts_at)):
        if shift.team_id not in shifts or shift.vehicle_id is not None:
            shifts[shift.team_id] = shift
    held, offered = defaultdict(list), defaultdict(list)
    # Only requests in the leader's scope: a team can hold a neighbour's call, which is not theirs to see.
    for team_id, ref in session.execute(select(Request.holder_team_id, Request.ref).where(
            Request.holder_team_id.in_(ids), Request.status == RequestStatus.accepted, scope.requests())):
        held[team_id].append(ref)
    for team_id, ref in session.execute(select(Offer.team_id, Request.ref).join(Request).where(
            Offer.team_id.in_(ids), Offer.status == OfferStatus.open, scope.requests())):
        offered[team_id].append(ref)
    rows = []
    for team in teams:
        shift = shifts.get(team.id)
        rows.append({
            "id": team.id, "name": team.name, "place": team.place.name, "lat": team.base_lat, "lon": team.base_lon,
            "on_duty": shift is not None, "vehicle": shift.vehicle.plate if shift and shift.vehicle else None,
            "lead": shift.lead.name if shift and shift.lead else None,
            "until": shift.ends_at if shift else None, "held": held[team.id], "offered": offered[team.id],
            "members": [{"name": m.name, "role": str(m.role), "phone": m.phone} for m in team.members],
        })
    return sorted(rows, key=lambda r: (not r["on_duty"], r["place"], r["name"]))


def day_schedule(session, scope: Scope, day: date, zone, gacha_id: int | None = None) -> list[dict]:
    """The shifts that touch the local `day`, grouped by gacha (the team's place), each in start order."""
    start = datetime.combine(day, time(), tzinfo=zone)
    end = start + timedelta(days=1)
    query = (select(DutyShift).join(Team).where(DutyShift.starts_at < end, DutyShift.ends_at > start, scope.teams())
             .options(selectinload(DutyShift.team).selectinload(Team.place), selectinload(DutyShift.vehicle),
                      selectinload(DutyShift.lead)).order_by(DutyShift.starts_at, DutyShift.id))
    if gacha_id is not None:
        query = query.where(Team.place_id == gacha_id)
    groups = defaultdict(list)
    for shift in session.scalars(query):
        groups[(shift.team.place.name, shift.team.place.id)].append({
            "team": shift.team.name, "starts_at": shift.starts_at, "ends_at": shift.ends_at,
            "vehicle": shift.vehicle.plate if shift.vehicle else None,
            "lead": shift.lead.name if shift.lead else None, "lead_phone": shift.lead.phone if shift.lead else None,
        })
    return [{"gacha": name, "gacha_id": place_id, "shifts": shifts}
            for (name, place_id), shifts in sorted(groups.items())]


def gachas_in(session, scope: Scope) -> list[Place]:
    """The places in scope that have teams, for the schedule's chooser."""
    return list(session.scalars(select(Place).where(scope.places(), Place.id.in_(select(Team.place_id)))
                                .order_by(Place.name)))
