"""Reads the roster into ranking candidates for one request at one moment."""
from datetime import timedelta

from sqlalchemy import func, select

from models import DutyShift, MemberRole, Offer, OfferStatus, Request, RequestStatus, Team

from .ranking import Candidate


def current_shift(session, team_id: int, now) -> DutyShift | None:
    """The team's shift covering `now` (the latest started, when shifts overlap)."""
    return session.scalar(
        DutyShift.covering(now).where(DutyShift.team_id == team_id).order_by(DutyShift.starts_at.desc())
    )


def gather_candidates(session, request: Request, now) -> list[Candidate]:
    """Every team, with what ranking needs to know about it now."""
    shifts = {}
    for shift in session.scalars(DutyShift.covering(now).order_by(DutyShift.starts_at)):
        # A later-starting overlapping shift wins; a shift with a vehicle beats one without.
        if shift.team_id not in shifts or shift.vehicle_id is not None:
            shifts[shift.team_id] = shift
    busy = dict(session.execute(
        select(Request.holder_team_id, Request.ref).where(Request.status == RequestStatus.accepted)
    ).all())
    work = dict(session.execute(
        select(Offer.team_id, func.count()).where(
            Offer.status == OfferStatus.accepted, Offer.decided_at >= now - timedelta(hours=24)
        ).group_by(Offer.team_id)
    ).all())
    offered = {offer.team_id for offer in request.offers}
    candidates = []
    for team in session.scalars(select(Team).order_by(Team.id)):
        shift = shifts.get(team.id)
        candidates.append(Candidate(
            team_id=team.id, name=team.name, lat=team.base_lat, lon=team.base_lon,
            on_duty=shift is not None, has_vehicle=bool(shift and shift.vehicle_id),
            busy_with=busy.get(team.id), has_doctor=any(m.role == MemberRole.doctor for m in team.members),
            work_24h=work.get(team.id, 0), offered_before=team.id in offered,
        ))
    return candidates
