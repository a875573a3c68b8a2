"""The ranking of one request without reading the whole league: the teams' bases are read nearest first (cheap:
a position each), and what ranking needs to know about a team (duty, vehicle, work: candidates.py) only for the
nearest, more of them only while a team not yet read could still change the kept part of the ranking. The
answer is the one `rank_teams` gives on every team, cut to what is kept (tests/dispatch/ladder/test_nearby.py
compares them on random leagues); only the work is smaller."""
import math
from collections import deque

from sqlalchemy import func, select

from models import Risk, Team

from .candidates import gather_candidates, team_positions
from .ranking import DOCTOR_ALLOWANCE_KM, MEDICAL, Choice, rank_teams, road_km

FIRST_RADIUS_KM = 15.0  # road distance; widened (doubled) until the nearest teams are known
RANKED_KEPT, SKIPPED_KEPT = 5, 10  # what a request keeps of its ranking (`kept`; stored by ladder/offers.py)
FIRST_DETAILS = 16  # teams read in full first; each further read doubles (most requests settle on the first)
KM_PER_DEGREE = 111.19  # of latitude, and of longitude at the equator (the ranking's 6371 km sphere)
WHOLE_LEAGUE_KM = 3000.0  # wider than any league: stop drawing circles and read every team


def rank_request(session, request, now, *, detour: float) -> tuple[list[Choice], list[Choice]]:
    """`rank_teams` over every team, as far as anyone reads it: the first RANKED_KEPT eligible teams (the
    first one is offered) and the teams passed over that a leader reads beside them (`kept`)."""
    red = request.household is not None and request.household.risk == Risk.red and request.household.on_register

    def rank(candidates):
        return rank_teams(candidates, lat=request.lat, lon=request.lon, category=request.category, detour=detour,
                          red=red)

    if request.lat is None or request.lon is None:
        return kept(*rank(gather_candidates(session, request, now)))  # no distances: every team is as near
    teams = TeamsByDistance(session, request.lat, request.lon, detour)
    candidates, batch = [], FIRST_DETAILS
    while True:
        candidates += gather_candidates(session, request, now, team_ids=teams.take(batch))
        # In team order, as ranking every team sees them: teams at the same distance are passed over in that order.
        ranked, skipped = rank(sorted(candidates, key=lambda c: c.team_id))
        if settled(ranked, teams.nearest_left_km(), medical=request.category in MEDICAL):
            return kept(ranked, skipped)
        batch *= 2


def kept(ranked: list[Choice], skipped: list[Choice]) -> tuple[list[Choice], list[Choice]]:
    """What a request keeps of a ranking: the first RANKED_KEPT eligible teams, and the teams passed over that
    are no farther than the farthest of those (why not the nearer ones is what a leader asks), at most
    SKIPPED_KEPT of them; every passed-over team, nearest first, up to SKIPPED_KEPT, when fewer can go.
    (Keeping the ten nearest passed over, however far, meant a league where every team can go was read whole.)"""
    ranked = ranked[:RANKED_KEPT]
    if len(ranked) < RANKED_KEPT or ranked[0].km is None:
        return ranked, skipped[:SKIPPED_KEPT]
    reach = max(c.km for c in ranked)
    return ranked, [s for s in skipped if s.km <= reach][:SKIPPED_KEPT]


def settled(ranked: list[Choice], nearest_left_km: float | None, *, medical: bool) -> bool:
    """Whether no team not yet read (each at least `nearest_left_km` away; None: none is left) could change what
    `kept` keeps. A medical request's team with a doctor orders DOCTOR_ALLOWANCE_KM nearer than it is."""
    if nearest_left_km is None:
        return True
    if len(ranked) < RANKED_KEPT:
        return False
    last = ranked[:RANKED_KEPT]
    nearest_outside = nearest_left_km - (DOCTOR_ALLOWANCE_KM if medical else 0.0)
    # Whole kilometres decide first (ranking.order): the last kept team's distance (never less than what it
    # orders by) must have strictly fewer whole kilometres than any outsider could order by, or they might tie;
    # and every outsider must be farther than the farthest kept team, or it could be a passed-over team kept.
    return (math.floor(last[-1].km) < math.floor(nearest_outside)
            and max(c.km for c in last) < nearest_left_km)


class TeamsByDistance:
    """Every team's id, nearest first by road distance (as `rank_teams` rounds it), read from growing boxes:
    a team is handed out only once no team outside the boxes read so far can be nearer."""

    def __init__(self, session, lat: float, lon: float, detour: float):
        self.session, self.lat, self.lon, self.detour = session, lat, lon, detour
        self.radius = FIRST_RADIUS_KM / 2  # the first widening makes it FIRST_RADIUS_KM
        self.ready: deque[tuple[float, int]] = deque()  # (km, team id), nearest first
        self.handed: set[int] = set()  # every team in `ready` or taken
        self.whole = False  # every team has been read
        self.read = 0  # teams in the last box read

    def take(self, count: int) -> list[int]:
        """The next `count` nearest teams (fewer when the league has no more)."""
        while len(self.ready) < count and not self.whole:
            self._widen()
        return [self.ready.popleft()[1] for _ in range(min(count, len(self.ready)))]

    def nearest_left_km(self) -> float | None:
        """The least road km any team not yet taken can have; None when every team is taken."""
        if self.ready:
            return self.ready[0][0]
        # Every team outside the box lies more than `radius` road km away; rounded, at least this.
        return None if self.whole else self.radius - 0.1

    def _widen(self) -> None:
        self.radius *= 2
        box = bounding_box(self.lat, self.lon, self.radius / self.detour) if self.radius < WHOLE_LEAGUE_KM else None
        positions = team_positions(self.session, box)
        if box is None:
            self.whole = True
        elif len(positions) == self.read:  # a wider box found no more: it may hold the whole league
            self.whole = len(positions) >= self.session.scalar(select(func.count()).select_from(Team))
        self.read = len(positions)
        fresh = sorted((round(road_km(self.lat, self.lon, lat, lon, self.detour), 1), team_id)
                       for team_id, lat, lon in positions if team_id not in self.handed)
        if not self.whole:  # a team in the box's corners may be farther than one just outside it
            fresh = [(km, team_id) for km, team_id in fresh if km < self.radius - 0.1]
        self.handed.update(team_id for _, team_id in fresh)
        self.ready.extend(fresh)


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
