"""What a leader chooses on the dashboard, checked against their scope: a place under it, a range of days."""
from sqlalchemy import select

from models import Place, PlaceKind

from ..leaders.scope import Scope, place_ids_under

KIND_ORDER = {PlaceKind.township: 0, PlaceKind.gacha: 1, PlaceKind.community: 2}


def places_to_choose(session, scope: Scope) -> list[Place]:
    """The places a leader may narrow a ledger or a chart to: townships first, then gachas and communities."""
    places = session.scalars(select(Place).where(scope.places()))
    return sorted(places, key=lambda p: (KIND_ORDER.get(p.kind, 3), p.name))


def narrowed(session, scope: Scope, place: Place) -> Scope:
    """The scope cut down to `place` and everything under it (the caller has checked `place` is in scope)."""
    ids = frozenset(place_ids_under(session, place.id))
    if not scope.everything:
        ids &= scope.place_ids
    return Scope(everything=False, place_ids=ids, unplaced=scope.unplaced and place.kind == PlaceKind.township)
