"""Factories for roster rows, with defaults a test can override: make.team(lat=..., on_duty=False)."""
from datetime import datetime, timedelta, timezone
from itertools import count

from models import (Contact, DutyShift, Household, HouseholdPhone, Leader, LeaderRole, Member, MemberRole, Place,
                    PlaceKind, Team, Vehicle)

NOW = datetime.now(timezone.utc)  # shifts cover the real clock, which jobs and the worker read
_seq = count(1)


def phone() -> str:
    """A fresh, valid mainland mobile number in E.164."""
    return f"+86139{next(_seq):08d}"


class Factory:
    def __init__(self, session):
        self.session = session
        self._township = None

    def _add(self, row):
        self.session.add(row)
        self.session.flush()
        return row

    def township(self) -> Place:
        if self._township is None:
            self._township = self._add(Place(code="150623103", name="昂素镇", kind=PlaceKind.township,
                                             lat=38.0, lon=107.9))
        return self._township

    def gacha(self, name="哈日根图嘎查", lat=38.0, lon=108.0) -> Place:
        return self._add(Place(code=f"150623103{next(_seq):03d}", name=name, kind=PlaceKind.gacha,
                               parent=self.township(), lat=lat, lon=lon))

    def team(self, name=None, place=None, lat=38.0, lon=108.0, on_duty=True, vehicle=True,
             members=1, doctor=False, now=NOW) -> Team:
        """A team at (lat, lon) with `members` members; on duty now with a vehicle unless told otherwise."""
        n = next(_seq)
        team = self._add(Team(code=f"T{n}", name=name or f"第{n}网格小分队", place=place or self.gacha(),
                              base_lat=lat, base_lon=lon))
        for i in range(members):
            self.member(team, role=MemberRole.captain if i == 0 else MemberRole.member)
        if doctor:
            self.member(team, role=MemberRole.doctor)
        car = self._add(Vehicle(plate=f"蒙K{n:05d}", team=team, kind="越野车", seats=5)) if vehicle else None
        if on_duty:
            self.shift(team, now - timedelta(hours=2), now + timedelta(hours=6), car)
        return team

    def shift(self, team, starts_at, ends_at, vehicle=None) -> DutyShift:
        return self._add(DutyShift(team=team, starts_at=starts_at, ends_at=ends_at, vehicle=vehicle,
                                   lead=team.members[0] if team.members else None))

    def member(self, team, role=MemberRole.member, language="zh", name=None) -> Member:
        return self._add(Member(phone=phone(), name=name or f"队员{next(_seq)}", team=team, role=role,
                                language=language))

    def leader(self, place, role=LeaderRole.gacha_secretary, language="zh") -> Leader:
        return self._add(Leader(phone=phone(), name=f"书记{next(_seq)}", place=place, role=role,
                                language=language))

    def household(self, place=None, lat=38.1, lon=108.1, language="zh", name="巴特尔") -> Household:
        household = self._add(Household(ref=f"H{next(_seq)}", head_name=name, place=place or self.gacha(),
                                        lat=lat, lon=lon, language=language))
        household.phones.append(HouseholdPhone(phone=phone()))
        self.session.flush()
        return household

    def register_household(self, place=None, needs="elderly_alone", risk=None, contact=None, contact_name=None,
                           name="乌云其木格", language="zh") -> Household:
        """A household on the register: its needs (';'-separated), risk colour, and paired contact (a member,
        or a phone with `contact_name` for someone who is not one)."""
        household = self.household(place=place, name=name, language=language)
        household.needs, household.risk = needs, risk
        if isinstance(contact, Member):
            household.contact_phone = contact.phone
        elif contact is not None:
            household.contact_phone, household.contact_name = contact, contact_name
        self.session.flush()
        return household

    def contact(self, household, at, channel="visit", outcome="well", member=None, request=None, note="") -> Contact:
        """A contact with a household: a member's visit by default, all well."""
        return self._add(Contact(household=household, at=at, channel=channel, outcome=outcome, member=member,
                                 request_id=request.id if request is not None else None, note=note))
