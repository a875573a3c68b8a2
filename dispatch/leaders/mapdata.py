"""The board's map: place outlines, open calls and on-duty teams as points.

The roster has points, not boundaries, so a gacha's outline is drawn around what is known to be in it (its own
point, its households and teams): their convex hull, widened by PAD_KM all round.
With no map tiles (no internet on the steppe office's machine) the outlines still say where things are.
"""
import math

from sqlalchemy import select

from models import Household, Place, PlaceKind, Team

from .scope import Scope

PAD_KM = 2.0  # outlines stand this far outside the outermost known point
KM_PER_DEGREE = 111.32


def convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The convex hull of (lat, lon) points, counter-clockwise (Andrew's monotone chain)."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def outline(points: list[tuple[float, float]], pad_km: float = PAD_KM, sides: int = 12) -> list[tuple[float, float]]:
    """A polygon around the points, `pad_km` clear of each: the hull of a small circle drawn round every point
    (one point gives a circle, two a capsule, more a rounded hull)."""
    if not points:
        return []
    ring = []
    for lat, lon in set(points):
        lon_km = KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01)
        for i in range(sides):
            angle = 2 * math.pi * i / sides
            ring.append((round(lat + pad_km * math.sin(angle) / KM_PER_DEGREE, 5),
                         round(lon + pad_km * math.cos(angle) / lon_km, 5)))
    return convex_hull(ring)


def place_outlines(session, scope: Scope) -> list[dict]:
    """Each gacha or community in scope with its outline and its own point."""
    places = list(session.scalars(select(Place).where(scope.places(), Place.kind != PlaceKind.township)))
    ids = [p.id for p in places]
    points = {p.id: [(p.lat, p.lon)] if p.lat is not None and p.lon is not None else [] for p in places}
    for place_id, lat, lon in session.execute(select(Household.place_id, Household.lat, Household.lon).where(
            Household.place_id.in_(ids), Household.lat.is_not(None), Household.lon.is_not(None))):
        points[place_id].append((lat, lon))
    for place_id, lat, lon in session.execute(select(Team.place_id, Team.base_lat, Team.base_lon)
                                              .where(Team.place_id.in_(ids))):
        points[place_id].append((lat, lon))
    return [{"name": p.name, "lat": p.lat, "lon": p.lon, "outline": outline(points[p.id])}
            for p in places if points[p.id]]
