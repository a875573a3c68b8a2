"""The weekly round (`flask --app wsgi checkin-round`, and daily at CHECKIN_HOUR from the worker): each paired
member gets one SMS listing their due households, numbered (the list is kept, so `V 2` names the same household
a day later); the hotline checks in with every due household that has a phone; households overdue twice in a
row go to the township leader. Running it again the same day sends nothing twice."""
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import CheckinItem, ContactChannel, Household, Member, Risk

from ..messaging import outbox, texts
from . import alerts, hotline, rules
from .fitting import fit, separator, written_in_chinese


@dataclass
class RoundSummary:
    """What a round did: members texted a list, households on those lists, hotline check-ins begun, township
    leaders told of households overdue twice."""

    members: int = 0
    households: int = 0
    checkins: int = 0
    alerts: int = 0


def run_round(session, now, settings) -> RoundSummary:
    """Run the round for the local day of `now`."""
    day = now.astimezone(zoneinfo.ZoneInfo(settings["TIMEZONE"])).date()
    households = list(session.scalars(select(Household).where(rules.on_register()).order_by(Household.ref)
                                      .options(selectinload(Household.phones), selectinload(Household.place))))
    state = rules.states(session, households, now, settings)
    # Longest waiting first (never reached before all), red before others: what does not fit an SMS today
    # moves up tomorrow.
    due = sorted((h for h in households if state[h.id].due_today),
                 key=lambda h: (state[h.id].due_at is not None, state[h.id].due_at or now, h.risk != Risk.red, h.ref))
    members = paired_members(session, due)
    lists = defaultdict(list)
    for household in due:
        if household.contact_phone in members:
            lists[household.contact_phone].append(household)
    summary = RoundSummary()
    listed = listed_on(session, list(members.values()), day)
    for phone, homes in lists.items():
        if send_list(session, members[phone], homes, day, now, listed):
            summary.members, summary.households = summary.members + 1, summary.households + len(homes)
    checked_in = hotline.checked_in_on(session, due, day)
    calls, per_minute = 0, settings["CHECKIN_CALLS_PER_MINUTE"]
    for household in due:  # calls spread minute by minute: the line stays free for herders calling in
        checkin = hotline.start_checkin(session, household, day, now, settings, checked_in,
                                        call_at=now + timedelta(minutes=calls // per_minute))
        if checkin is not None:
            summary.checkins += 1
            calls += checkin.channel == ContactChannel.call
    late = [h for h in households if state[h.id].twice and alerts.not_told(h, state[h.id])]
    summary.alerts = alerts.tell_township(session, late, day, now)
    return summary


def run_daily_round(session, day, now, settings) -> None:
    """The daily task (runtime/daily.py, at CHECKIN_HOUR)."""
    run_round(session, now, settings)


def paired_members(session, households) -> dict[str, Member]:
    """The members paired with `households`, by phone (a contact who is not a member has none)."""
    phones = sorted({h.contact_phone for h in households if h.contact_phone})
    return {m.phone: m for batch in rules.batches(phones)
            for m in session.scalars(select(Member).where(Member.phone.in_(batch)))}


def listed_on(session, members: list[Member], day) -> set[int]:
    """The ids of those of `members` who already have a list for `day` (an earlier run, or another worker's):
    a query a rules.BATCH of members, not one a member."""
    return {member_id for batch in rules.batches(members) for member_id in session.scalars(
        select(CheckinItem.member_id).distinct().where(CheckinItem.day == day,
                                                       CheckinItem.member_id.in_([m.id for m in batch])))}


def send_list(session, member: Member, homes: list[Household], day, now, listed: set[int]) -> bool:
    """Number the member's due households, keep the numbers, and text the list once a day; False when the
    member already has today's list (their id is in `listed`, from listed_on). Of two workers that both read
    none, the unique (member, day, number) refuses the second's list; its retry sees the first's."""
    if member.id in listed:
        return False
    for number, household in enumerate(homes, start=1):
        session.add(CheckinItem(member=member, household=household, day=day, number=number, listed_at=now))
    outbox.record_text(session, key=f"checkin-list-{member.id}-{day.isoformat()}", to=member.phone,
                       body=list_text(member.text_language, day, [h.head_name for h in homes]),
                       template="checkin_list", now=now)
    return True


def list_text(language: str, day, names: list[str]) -> str:
    """The member's list in two SMS at most: as many numbered names as fit, then how many more."""
    chinese = written_in_chinese(language)
    entries = [f"{number}{name}" if chinese else f"{number} {name}"
               for number, name in enumerate(names, start=1)]

    def render(shown):
        more = len(entries) - shown
        items = separator(language).join(entries[:shown])
        items += texts.render("checkin_more", language, count=more) if more else ""
        return texts.render("checkin_list", language, day=day.strftime("%m-%d"), items=items)

    return fit(render, len(entries))
