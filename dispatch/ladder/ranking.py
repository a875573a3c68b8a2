"""Which team to offer a request to: a pure decision on plain values, tested with tables."""
import math
from dataclasses import dataclass

MEDICAL = {2, 9}
# A team with a doctor may be this much farther and still come first for a medical request.
DOCTOR_ALLOWANCE_KM = 15.0


@dataclass(frozen=True)
class Candidate:
    """One team as the ranking sees it: its base, whether it can go now, and how much it has worked."""

    team_id: int
    name: str
    lat: float
    lon: float
    on_duty: bool
    has_vehicle: bool
    busy_with: str | None  # the reference of a request the team holds, if any
    has_doctor: bool
    work_24h: int  # requests the team accepted in the last 24 hours
    offered_before: bool  # this request was already offered to the team


@dataclass(frozen=True)
class Choice:
    """A team picked or passed over: its road distance (None: the caller's position is unknown) and the reason."""

    team_id: int
    name: str
    km: float | None
    reason: str


def road_km(lat1, lon1, lat2, lon2, detour: float) -> float:
    """Straight-line (great-circle) distance times the detour factor that stands for the roads."""
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a)) * detour


def rank_teams(candidates, *, lat, lon, category: int, detour: float,
               red: bool = False) -> tuple[list[Choice], list[Choice]]:
    """Eligible teams best first, and the teams passed over, each with the reason a leader reads. `red`: the
    household is marked red on the register, and among teams about as near one with a doctor goes first."""
    eligible, skipped = [], []
    for c in candidates:
        km = None if lat is None or lon is None else round(road_km(lat, lon, c.lat, c.lon, detour), 1)
        if c.offered_before:
            skipped.append(Choice(c.team_id, c.name, km, "已派过此单"))
        elif not c.on_duty:
            skipped.append(Choice(c.team_id, c.name, km, "当前不在值班"))
        elif not c.has_vehicle:
            skipped.append(Choice(c.team_id, c.name, km, "本班次无车辆"))
        elif c.busy_with:
            skipped.append(Choice(c.team_id, c.name, km, f"正在处理求助{c.busy_with}"))
        else:
            eligible.append((c, km))

    medical = category in MEDICAL

    def order(item):
        c, km = item
        effective = km if km is not None else 0.0
        if medical and c.has_doctor:
            effective -= DOCTOR_ALLOWANCE_KM
        # Whole kilometres: teams about as near are a tie; a red household's goes to a team with a doctor,
        # then the least-worked team gets it.
        return (math.floor(effective), not (red and c.has_doctor), c.work_24h, effective, c.team_id)

    ranked = []
    for c, km in sorted(eligible, key=order):
        parts = ["值班中、有车"]
        parts.append(f"距离{km}公里" if km is not None else "求助人位置未知")
        if (medical or red) and c.has_doctor:
            parts.append("有医生")
        parts.append(f"24小时内接单{c.work_24h}次")
        ranked.append(Choice(c.team_id, c.name, km, "，".join(parts)))
    return ranked, sorted(skipped, key=lambda s: (s.km is None, s.km or 0.0))
