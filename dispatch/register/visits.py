"""A paired member's visit report, `V <n> <outcome>`: recorded as a contact and echoed with the household's
name. `<n>` is the number in the member's latest list, or the roster ref of a household paired with them or in
their team's gacha; anything else gets a clear answer. Needs help opens a request for the household, reported
by the member (who hears who is coming), offered like any other."""
from sqlalchemy import func, select

from models import CheckinItem, Contact, ContactChannel, ContactOutcome, Event, Household, Language, Member

from ..messaging import texts
from ..requests.intake import open_request_for
from .grammar import VisitReport

HELP_TEXT = "包联人走访：需要帮助"


def answer_report(session, member: Member, report: VisitReport, now, inbound=None) -> str:
    """Act on the member's report and return the answer, which names the household it acted on."""
    language = member.text_language
    if report.target is None or report.outcome is None:
        return texts.render("checkin_usage", language)
    household = household_named(session, member, report.target)
    if household is None:
        return texts.render("checkin_unknown", language, target=report.target[:12])
    slots = {"name": household.head_name, "household": household.ref}
    if report.outcome != ContactOutcome.needs_help:
        Contact.record(session, household, now, ContactChannel.visit, report.outcome, member=member,
                       note=report.note)
        return texts.render("checkin_ok" if report.outcome == ContactOutcome.well else "checkin_unreached_ok",
                            language, **slots)
    request = open_request_for(session, caller=member.phone, category=report.category or 5,
                               text=report.note or HELP_TEXT, household=household, now=now, channel="sms")
    request.language = Language(language)  # the member reported it: they hear who is coming, in their language
    Event.record(session, request, "reported_by_member", now, actor=member.actor_name,
                 detail=f"包联人走访{household.head_name}（{household.ref}）：需要帮助")
    Contact.record(session, household, now, ContactChannel.visit, ContactOutcome.needs_help, member=member,
                   request=request, note=report.note)
    if inbound is not None:
        inbound.request = request
    return texts.render("checkin_help_ok", language, ref=request.ref, **slots)


def household_named(session, member: Member, target: str) -> Household | None:
    """The household `target` names for this member: a number in their latest list, else a roster ref of a
    household paired with them or in their team's gacha."""
    if target.isdigit() and len(target) <= 4:
        latest = select(func.max(CheckinItem.day)).where(CheckinItem.member_id == member.id).scalar_subquery()
        found = session.scalar(select(Household).join(CheckinItem, CheckinItem.household_id == Household.id).where(
            CheckinItem.member_id == member.id, CheckinItem.day == latest, CheckinItem.number == int(target)))
        if found is not None:
            return found
    return session.scalar(select(Household).where(
        func.lower(Household.ref) == target.lower(),
        (Household.contact_phone == member.phone) | (Household.place_id == member.team.place_id)))
