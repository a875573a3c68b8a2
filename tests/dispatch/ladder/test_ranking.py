"""Ranking: on duty, with a vehicle, free, nearest; a doctor for medical calls; the least-worked on a tie."""
import pytest

from dispatch.ladder.ranking import Candidate, rank_teams, road_km

HOME = (38.0, 108.0)


def team(team_id, km_north, on_duty=True, vehicle=True, busy=None, doctor=False, work=0, offered=False):
    # One degree of latitude is about 111.2 km; the test places teams due north of the household.
    return Candidate(team_id, f"T{team_id}", HOME[0] + km_north / 111.195, HOME[1], on_duty, vehicle, busy,
                     doctor, work, offered)


def ranked_ids(candidates, category=1, detour=1.0):
    ranked, _ = rank_teams(candidates, lat=HOME[0], lon=HOME[1], category=category, detour=detour)
    return [c.team_id for c in ranked]


@pytest.mark.parametrize("candidates, category, expected", [
    ([team(1, 30), team(2, 10)], 1, [2, 1]),
    ([team(1, 30), team(2, 10, on_duty=False)], 1, [1]),
    ([team(1, 30), team(2, 10, vehicle=False)], 1, [1]),
    ([team(1, 30), team(2, 10, busy="4821")], 1, [1]),
    ([team(1, 30), team(2, 10, offered=True)], 1, [1]),
    ([team(1, 20, doctor=True), team(2, 10)], 2, [1, 2]),  # medical: a doctor 10 km farther still first
    ([team(1, 20, doctor=True), team(2, 10)], 9, [1, 2]),
    ([team(1, 20, doctor=True), team(2, 10)], 3, [2, 1]),  # errands: the doctor gives no advantage
    ([team(1, 60, doctor=True), team(2, 10)], 2, [2, 1]),  # but not 50 km farther
    ([team(1, 10.2, work=3), team(2, 10.6, work=0)], 1, [2, 1]),  # a tie on distance: rest the busy team
    ([], 1, []),
])
def test_ranking_order(candidates, category, expected):
    assert ranked_ids(candidates, category) == expected


def test_detour_factor_scales_distance_and_reason_names_it():
    ranked, _ = rank_teams([team(1, 10)], lat=HOME[0], lon=HOME[1], category=1, detour=1.3)
    assert ranked[0].km == 13.0
    assert "距离13.0公里" in ranked[0].reason and "值班中、有车" in ranked[0].reason


def test_skipped_teams_carry_the_reason_a_leader_reads():
    _, skipped = rank_teams([team(1, 5, vehicle=False), team(2, 8, on_duty=False), team(3, 9, busy="7001")],
                            lat=HOME[0], lon=HOME[1], category=1, detour=1.0)
    assert [(s.name, s.reason) for s in skipped] == [
        ("T1", "本班次无车辆"), ("T2", "当前不在值班"), ("T3", "正在处理求助7001")]


def test_unknown_location_ranks_by_rest():
    ranked, _ = rank_teams([team(1, 5, work=2), team(2, 50, work=0)], lat=None, lon=None, category=1, detour=1.3)
    assert [c.team_id for c in ranked] == [2, 1]
    assert "求助人位置未知" in ranked[0].reason


def test_road_km_is_great_circle_times_detour():
    assert road_km(38.0, 108.0, 39.0, 108.0, 1.0) == pytest.approx(111.19, abs=0.05)
    assert road_km(38.0, 108.0, 38.0, 108.0, 1.3) == 0.0


def test_a_red_households_request_prefers_a_doctor_among_teams_about_as_near():
    candidates = [team(1, 10.2), team(2, 10.7, doctor=True, work=2), team(3, 25, doctor=True)]
    plain, _ = rank_teams(candidates, lat=HOME[0], lon=HOME[1], category=3, detour=1.0)
    red, _ = rank_teams(candidates, lat=HOME[0], lon=HOME[1], category=3, detour=1.0, red=True)
    assert [c.team_id for c in plain] == [1, 2, 3]
    assert [c.team_id for c in red] == [2, 1, 3]  # a tie on whole kilometres only: never a farther team
    assert "有医生" in red[0].reason
