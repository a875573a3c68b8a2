"""Reads the roster into ranking candidates for one request at one moment."""
from datetime import timedelta

from sqlalchemy import func, select

from models import DutyShift, Member, MemberRole, Offer, OfferStatus, Request, RequestStatus, Team

from .ranking import Candidate


def current_shift(session, team_id: int, now) -> DutyShift | None:
    """The team's shift covering `now` (the latest started, when shifts overlap)."""
    return session.scalar(
        DutyShift.covering(now).where(DutyShift.team_id == team_id).order_by(DutyShift.starts_at.desc())
    )


def gather_candidates(session, request: Request, now) -> list[Candidate]:
    """Every team, with what ranking needs to know about it now: a handful of column queries, not one query
    per team, so a league's 3,734 teams rank in milliseconds (bench/ranking.py)."""
    has_vehicle: dict[int, bool] = {}
    for team_id, vehicle_id in session.execute(
            select(DutyShift.team_id, DutyShift.vehicle_id).where(DutyShift.starts_at <= now, DutyShift.ends_at > now)):
        # Overlapping shifts: the team has a vehicle if any shift covering now gives it one.
        has_vehicle[team_id] = has_vehicle.get(team_id, False) or vehicle_id is not None
    busy = dict(session.execute(
        select(Request.holder_team_id, Request.ref).where(Request.status == RequestStatus.accepted)
    ).all())
    work = dict(session.execute(
        select(Offer.team_id, func.count()).where(
            Offer.status == OfferStatus.accepted, Offer.decided_at >= now - timedelta(hours=24)
        ).group_by(Offer.team_id)
    ).all())
    doctors = set(session.scalars(select(Member.team_id).where(Member.role == MemberRole.doctor).distinct()))
    offered = set(session.scalars(select(Offer.team_id).where(Offer.request_id == request.id)))
    return [
        Candidate(team_id=team_id, name=name, lat=lat, lon=lon, on_duty=team_id in has_vehicle,
                  has_vehicle=has_vehicle.get(team_id, False), busy_with=busy.get(team_id),
                  has_doctor=team_id in doctors, work_24h=work.get(team_id, 0), offered_before=team_id in offered)
        for team_id, name, lat, lon in session.execute(
            select(Team.id, Team.name, Team.base_lat, Team.base_lon).order_by(Team.id))
    ]


def offered_members(session, offer) -> list[Member]:
    """Who an offer goes to: the members on the team's shift when it was made (the roster's
    shifts.member_phones), or the whole team when the shift lists nobody or no shift covers it."""
    shift = current_shift(session, offer.team_id, offer.created_at)
    return shift.on_duty if shift is not None else list(offer.team.members)


def shift_lead(session, offer) -> Member | None:
    """The cadre leading the offered team's shift, if the roster names one."""
    shift = current_shift(session, offer.team_id, offer.created_at)
    return shift.lead if shift is not None else None
