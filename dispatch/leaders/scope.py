"""What a leader may see and act on: a gacha secretary their gacha, a township leader the township, an admin all.

Callers the roster does not know have no place; township leaders see them too (as with `OPEN` by SMS).
"""
from dataclasses import dataclass

from sqlalchemy import false, or_, select, true

from models import Leader, LeaderRole, Place, PlaceKind, Request, Team



@dataclass(frozen=True)
class Scope:
    """What a leader may see: everything (admin), or a set of places, with or without callers of no known place."""

    everything: bool
    place_ids: frozenset
    unplaced: bool  # requests from callers with no known place

    def requests(self):
        """A WHERE clause selecting the requests in scope."""
        return self.located(Request.place_id)

    def teams(self):
        """A WHERE clause selecting the teams in scope."""
        return true() if self.everything else Team.place_id.in_(self.place_ids)

    def places(self):
        """A WHERE clause selecting the places in scope."""
        return true() if self.everything else Place.id.in_(self.place_ids)

    def located(self, column):
        """A WHERE clause selecting rows whose place `column` is in scope (rows of no place: as for requests)."""
        if self.everything:
            return true()
        clause = column.in_(self.place_ids) if self.place_ids else false()
        return or_(clause, column.is_(None)) if self.unplaced else clause

    def allows_place(self, place_id: int | None) -> bool:
        """Whether a request (or team) at `place_id` is in scope."""
        if self.everything:
            return True
        return self.unplaced if place_id is None else place_id in self.place_ids


def place_ids_under(session, place_id: int) -> list[int]:
    """The place and everything below it (a township's gachas)."""
    ids, frontier = {place_id}, {place_id}
    while frontier:
        frontier = set(session.scalars(select(Place.id).where(Place.parent_id.in_(frontier)))) - ids
        ids |= frontier
    return list(ids)


def scope_for(session, leader: Leader) -> Scope:
    """The leader's scope, from their role and their place in the roster."""
    if leader.role == LeaderRole.admin:
        return Scope(everything=True, place_ids=frozenset(), unplaced=True)
    ids = frozenset(place_ids_under(session, leader.place_id))
    township = leader.role == LeaderRole.township_leader and leader.place.kind == PlaceKind.township
    return Scope(everything=False, place_ids=ids, unplaced=township)


def request_in_scope(session, scope: Scope, ref: str) -> Request | None:
    """The request with reference `ref`, or None when it does not exist or is outside the scope."""
    return session.scalar(select(Request).where(Request.ref == ref, scope.requests()))


def team_in_scope(session, scope: Scope, team_id: int) -> Team | None:
    """The team, or None when it does not exist or is outside the scope."""
    return session.scalar(select(Team).where(Team.id == team_id, scope.teams()))
