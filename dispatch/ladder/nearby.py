"""The ranking of one request without reading the whole league: the teams near the caller first, a wider
circle only when the near ones cannot settle it. The answer is the one `rank_teams` gives on every team
(tests/dispatch/ladder/test_nearby.py compares them on random leagues); only the work is smaller."""
import math

from sqlalchemy import func, select

from models import Risk, Team

from .candidates import gather_candidates
from .ranking import DOCTOR_ALLOWANCE_KM, MEDICAL, Choice, rank_teams

FIRST_RADIUS_KM = 25.0  # road distance; a league's team is within this of most herders
RANKED_KEPT, SKIPPED_KEPT = 5, 10  # what a request keeps of its ranking (ladder/offers.py)
KM_PER_DEGREE = 111.19  # of latitude, and of longitude at the equator (the ranking's 6371 km sphere)
WHOLE_LEAGUE_KM = 3000.0  # wider than any league: stop drawing circles and read every team


def rank_request(session, request, now, *, detour: float) -> tuple[list[Choice], list[Choice]]:
    """`rank_teams` over every team, as far as anyone reads it: the first RANKED_KEPT eligible teams (the
    first one is offered) and the SKIPPED_KEPT nearest teams passed over, each list in its order."""
    red = request.household is not None and request.household.risk == Risk.red and request.household.on_register

    def rank(candidates):
        return rank_teams(candidates, lat=request.lat, lon=request.lon, category=request.category, detour=detour,
                          red=red)

    if request.lat is None or request.lon is None:
        return rank(gather_candidates(session, request, now))  # no distances: every team is as near
    radius, league = FIRST_RADIUS_KM, None
    while radius < WHOLE_LEAGUE_KM:
        box = bounding_box(request.lat, request.lon, radius / detour)
        if box is None:
            break
        candidates = gather_candidates(session, request, now, box)
        ranked, skipped = rank(candidates)
        if settled(ranked, skipped, radius, medical=request.category in MEDICAL):
            return ranked, skipped
        # A league with few teams to skip never settles on circles: once one holds every team, it is the answer
        # (without this, a storm on a league where every team has a vehicle read it eight times a request).
        league = session.scalar(select(func.count()).select_from(Team)) if league is None else league
        if len(candidates) >= league:
            return ranked, skipped
        radius *= 2
    return rank(gather_candidates(session, request, now))


def settled(ranked: list[Choice], skipped: list[Choice], radius_km: float, *, medical: bool) -> bool:
    """Whether no team beyond `radius_km` could change the kept part of the ranking. Every team farther out
    shows at least `radius_km - 0.1` (distances are rounded to 0.1 km) and, medical with a doctor, orders
    DOCTOR_ALLOWANCE_KM nearer than that; it must come strictly after the last kept team of each list."""
    floor_km = radius_km - 0.1
    if len(ranked) < RANKED_KEPT or len(skipped) < SKIPPED_KEPT:
        return False
    nearest_outside = floor_km - (DOCTOR_ALLOWANCE_KM if medical else 0.0)
    # Whole kilometres decide first (ranking.order): the last kept team's distance (never less than what it
    # orders by) must have strictly fewer whole kilometres than any outsider could order by, or they might tie.
    return (math.floor(ranked[RANKED_KEPT - 1].km) < math.floor(nearest_outside)
            and skipped[SKIPPED_KEPT - 1].km < floor_km)


def bounding_box(lat: float, lon: float, km: float):
    """(south, north, west, east) in degrees holding every point within `km` great-circle km of (lat, lon),
    or None when it would reach a pole or wrap around the date line (then every team is read)."""
    dlat = km / KM_PER_DEGREE
    south, north = lat - dlat, lat + dlat
    if south <= -89 or north >= 89:
        return None
    dlon = dlat / math.cos(math.radians(max(abs(south), abs(north))))
    west, east = lon - dlon, lon + dlon
    if west < -180 or east > 180:
        return None
    return south, north, west, east
