"""What a household's contact card (便民服务联系卡) says, read from the roster as plain values.

The household's team: the team of its paired member (包联, the member whose phone is `contact_phone`), since
that member serves it; else the team of its own gacha whose base is nearest to the household (teams are formed
per grid, so the nearest is its grid's). Not "on duty now": a card is printed once and kept for months.
"""
from dataclasses import dataclass

import phonenumbers
from sqlalchemy import select, true
from sqlalchemy.orm import selectinload

from models import Household, Member, MemberRole, Place, Team

from ..ladder.ranking import road_km


@dataclass(frozen=True)
class Person:
    """A name and a phone as a card prints them (the phone in the national form people dial)."""

    name: str
    phone: str


@dataclass(frozen=True)
class CardFacts:
    """Everything one card prints: the household, its area, its three contacts, the numbers to call."""

    ref: str
    head_name: str
    gacha: str
    gacha_mn: str
    township: str
    township_mn: str
    team: str | None
    paired: Person | None
    captain: Person | None
    doctor: Person | None
    duty_number: str
    gacha_number: str | None  # the number an unknown caller keys on the voice line


def dial_form(phone: str | None, region: str) -> str:
    """A stored E.164 phone as people in `region` dial it ('139 1234 5678', '0477 851 2345')."""
    try:
        number = phonenumbers.parse(phone or "", region)
    except phonenumbers.NumberParseException:
        return phone or ""
    if phonenumbers.region_code_for_number(number) != region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def households_where(session, clause=None) -> list[Household]:
    """The households selected by `clause` (a WHERE on Household), by place and roster ref."""
    query = select(Household).options(selectinload(Household.place).selectinload(Place.parent))
    return list(session.scalars(query.where(clause if clause is not None else true())
                                .order_by(Household.place_id, Household.ref)))


def card_facts(session, households: list[Household], duty_number: str, region: str) -> list[CardFacts]:
    """The card of each household, in the order given."""
    place_ids = {h.place_id for h in households}
    teams = list(session.scalars(select(Team).options(selectinload(Team.members)).where(Team.place_id.in_(place_ids))
                              .order_by(Team.id)))
    phones = {h.contact_phone for h in households if h.contact_phone}
    paired = {m.phone: m for m in session.scalars(
        select(Member).options(selectinload(Member.team).selectinload(Team.members)).where(Member.phone.in_(phones)))}
    return [_facts(h, paired.get(h.contact_phone or ""), [t for t in teams if t.place_id == h.place_id],
                   duty_number, region) for h in households]


def _facts(household: Household, member: Member | None, gacha_teams: list[Team], duty: str, region: str):
    team = member.team if member is not None else _nearest(household, gacha_teams)
    lineage = household.place.lineage()
    township = lineage[-1] if len(lineage) > 1 else None

    def person(role) -> Person | None:
        chosen = next((m for m in (team.members if team else []) if m.role == role), None)
        if chosen is None and role == MemberRole.doctor:  # a team without a doctor: the gacha's doctor
            chosen = next((m for t in gacha_teams for m in t.members if m.role == role), None)
        return Person(chosen.name, dial_form(chosen.phone, region)) if chosen else None

    if member is not None:
        contact = Person(member.name, dial_form(member.phone, region))
    elif household.contact_phone:
        contact = Person(household.contact_name or "", dial_form(household.contact_phone, region))
    else:
        contact = None
    return CardFacts(
        ref=household.ref, head_name=household.head_name, gacha=household.place.name,
        gacha_mn=household.place.name_mn or household.place.name,
        township=township.name if township else "", township_mn=(township.name_mn or township.name) if township else "",
        team=team.name if team else None, paired=contact, captain=person(MemberRole.captain),
        doctor=person(MemberRole.doctor), duty_number=dial_form(duty, region),
        gacha_number=next((p.short_number for p in lineage if p.short_number), None),
    )


def _nearest(household: Household, teams: list[Team]) -> Team | None:
    if not teams or household.lat is None or household.lon is None:
        return teams[0] if teams else None
    return min(teams, key=lambda t: (road_km(household.lat, household.lon, t.base_lat, t.base_lon, 1.0), t.id))
