"""A township for the contact cards: two gachas with their voice-line numbers and Mongolian names, teams with
captains and doctors, households paired with a member, with a contact who is not one, or with nobody."""
from dataclasses import dataclass

import pytest

from models import Household, Leader, LeaderRole, Member, MemberRole, Place, Team, db


@dataclass
class CardTown:
    township: Place
    north: Place
    south: Place
    near_team: Team  # 北一队: captain, member and doctor, based next to the north households
    far_team: Team  # 北二队: a captain only, based far off
    south_team: Team  # 南一队: a captain, no doctor
    far_captain: Member
    paired_far: Household  # a north household paired with 北二队's captain: its card names 北二队's people
    outsider_paired: Household  # paired with someone who is not a member
    north_homes: list  # the nine north households, paired_far and outsider_paired among them
    south_home: Household
    north_secretary: Leader
    south_secretary: Leader
    township_leader: Leader
    admin: Leader


def build_card_town(make) -> CardTown:
    """Nine households in the north gacha (two pages of cards), one in the south."""
    north = make.gacha(name="哈日根图嘎查", lat=38.0, lon=108.0)
    south = make.gacha(name="巴音乌素嘎查", lat=37.5, lon=108.0)
    township = north.parent
    north.short_number, south.short_number = "301", "302"
    north.name_mn = "\u182c\u1820\u1837\u1820\u182d\u1820\u1828\u1832\u1824 \u182d\u1820\u1834\u1820\u182d\u180e\u1820"
    township.name_mn = "\u1820\u1829\u1830\u1824"
    near = make.team(name="北一队", place=north, lat=38.01, lon=108.01, members=0)
    near_captain = make.member(near, role=MemberRole.captain, name="包那木拉")
    make.member(near, role=MemberRole.member, name="高志强")
    make.member(near, role=MemberRole.doctor, name="乌日娜")
    far = make.team(name="北二队", place=north, lat=38.4, lon=108.4, members=0)
    far_captain = make.member(far, role=MemberRole.captain, name="额尔敦")
    south_team = make.team(name="南一队", place=south, lat=37.5, lon=108.0, members=0)
    make.member(south_team, role=MemberRole.captain, name="其其格")
    homes = [make.register_household(place=north, name=f"北户{i}", contact=near_captain) for i in range(7)]
    paired_far = make.register_household(place=north, name="远队户", contact=far_captain)
    outsider = make.register_household(place=north, name="邻居户", contact="+8613800000077", contact_name="张三")
    for home in homes + [paired_far, outsider]:
        home.lat, home.lon = 38.02, 108.02
    south_home = make.register_household(place=south, name="南户", language="mn")
    town = CardTown(
        township=township, north=north, south=south, near_team=near, far_team=far, south_team=south_team,
        far_captain=far_captain, paired_far=paired_far, outsider_paired=outsider,
        north_homes=homes + [paired_far, outsider], south_home=south_home,
        north_secretary=make.leader(north), south_secretary=make.leader(south),
        township_leader=make.leader(township, role=LeaderRole.township_leader),
        admin=make.leader(township, role=LeaderRole.admin),
    )
    db.session.commit()
    return town


@pytest.fixture
def card_town(make):
    return build_card_town(make)
