"""Reads the roster into ranking candidates for one request at one moment."""
import functools
from datetime import timedelta

from sqlalchemy import bindparam, func, select

from models import DutyShift, Member, MemberRole, Offer, OfferStatus, Request, RequestStatus, Team

from .ranking import Candidate


def current_shift(session, team_id: int, now) -> DutyShift | None:
    """The team's shift covering `now` (the latest started, when shifts overlap)."""
    return session.scalar(_current_shift(), {"team_id": team_id, "now": now})


@functools.cache
def _current_shift():
    """Built once: every offer asks it, twice (its members, its lead)."""
    return (DutyShift.covering(bindparam("now", type_=DutyShift.starts_at.type))
            .where(DutyShift.team_id == bindparam("team_id")).order_by(DutyShift.starts_at.desc()))


def team_positions(session, box=None) -> list[tuple[int, float, float]]:
    """(id, lat, lon) of the teams whose base lies in `box` = (south, north, west, east) degrees, or of every
    team: a position each and no look-ups, so reading a few hundred costs well under a millisecond."""
    if box is None:
        return [tuple(row) for row in session.execute(_positions(False))]
    return [tuple(row) for row in session.execute(_positions(True), dict(zip(("south", "north", "west", "east"), box)))]


@functools.cache
def _positions(in_box: bool):
    query = select(Team.id, Team.base_lat, Team.base_lon)
    if in_box:
        query = query.where(Team.base_lat.between(bindparam("south"), bindparam("north")),
                            Team.base_lon.between(bindparam("west"), bindparam("east")))
    return query


def gather_candidates(session, request: Request, now, team_ids=None) -> list[Candidate]:
    """The teams (all of them, or those of `team_ids`), in team order, with what ranking needs to know about
    each now. One query: what it asks of each team is a correlated look-up by index, a fraction of a
    millisecond a team, which is why nearby.py asks it only of the teams nearest the caller."""
    params = {"now": now, "day_ago": now - timedelta(hours=24), "request_id": request.id}
    if team_ids is not None:
        if not team_ids:
            return []
        params["team_ids"] = list(team_ids)
    return [
        Candidate(team_id=team_id, name=name, lat=lat, lon=lon, on_duty=bool(duty), has_vehicle=bool(vehicle),
                  busy_with=busy_ref, has_doctor=bool(has_doctor), work_24h=work_24h or 0,
                  offered_before=bool(was_offered))
        for team_id, name, lat, lon, duty, vehicle, busy_ref, has_doctor, work_24h, was_offered
        in session.execute(_candidates_query(team_ids is not None), params)
    ]


@functools.cache
def _candidates_query(some_teams: bool):
    """The query, built once with bound parameters: building it anew took longer (2 ms) than running it."""
    now, day_ago = bindparam("now", type_=DutyShift.starts_at.type), bindparam("day_ago", type_=Offer.decided_at.type)
    covering = (DutyShift.team_id == Team.id, DutyShift.starts_at <= now, DutyShift.ends_at > now)
    on_duty = _any(DutyShift.id, *covering)
    # Overlapping shifts: the team has a vehicle if any shift covering now gives it one.
    has_vehicle = _any(DutyShift.id, *covering, DutyShift.vehicle_id.is_not(None))
    busy = (select(Request.ref).where(Request.holder_team_id == Team.id, Request.status == RequestStatus.accepted)
            .order_by(Request.id.desc()).limit(1).scalar_subquery())
    work = (select(func.count()).select_from(Offer).where(
        Offer.team_id == Team.id, Offer.status == OfferStatus.accepted, Offer.decided_at >= day_ago)
        .scalar_subquery())
    doctor = _any(Member.id, Member.team_id == Team.id, Member.role == MemberRole.doctor)
    offered = _any(Offer.id, Offer.team_id == Team.id, Offer.request_id == bindparam("request_id"))
    query = select(Team.id, Team.name, Team.base_lat, Team.base_lon, on_duty, has_vehicle, busy, doctor, work,
                   offered).order_by(Team.id)
    if some_teams:
        query = query.where(Team.id.in_(bindparam("team_ids", expanding=True)))
    return query


def _any(column, *where):
    """Whether a row matches, as a scalar sub-select probed by index for each team read. (As EXISTS, PostgreSQL
    may answer it for a short list of teams by hashing the whole table: every shift and every doctor of a
    3,734-team league read for 20 teams, the query 8.7 ms instead of 2.4.)"""
    return select(column).where(*where).limit(1).scalar_subquery().is_not(None)


def offered_members(session, offer) -> list[Member]:
    """Who an offer goes to: the members on the team's shift when it was made (the roster's
    shifts.member_phones), or the whole team when the shift lists nobody or no shift covers it."""
    shift = current_shift(session, offer.team_id, offer.created_at)
    listed = list(shift.listed_members) if shift is not None else []
    # The team's members by its id, not through offer.team: one look-up, not two, on every offer of a storm.
    return listed or list(session.scalars(_team_members(), {"team_id": offer.team_id}))


@functools.cache
def _team_members():
    return select(Member).where(Member.team_id == bindparam("team_id")).order_by(Member.id)


def shift_lead(session, offer) -> Member | None:
    """The cadre leading the offered team's shift, if the roster names one."""
    shift = current_shift(session, offer.team_id, offer.created_at)
    return shift.lead if shift is not None else None
