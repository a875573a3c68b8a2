"""The register's texts, read before any other reading of an SMS (conversation/inbound.py's w12 hook): a
member's visit report (`V`/`访`), or a household's 平安 after the hotline's check-in SMS."""
from sqlalchemy import select

from models import ContactOutcome, Member

from ..messaging import texts
from ..requests.intake import household_for
from . import hotline, visits
from .grammar import is_all_well, read_visit_report


def answer_text(session, inbound, now, settings) -> str | None:
    """The answer when the text is about the weekly contact; None when it is not (read it as usual)."""
    member = session.scalar(select(Member).where(Member.phone == inbound.from_phone))
    if member is not None:
        report = read_visit_report(inbound.body)
        if report is None:
            return None
        inbound.sender_kind = "member"
        return visits.answer_report(session, member, report, now, inbound)
    if not is_all_well(inbound.body):
        return None
    checkin = hotline.recent_sms_checkin(session, inbound.from_phone, now, settings)
    if checkin is None:
        return None
    inbound.sender_kind = "herder"
    hotline.answer(session, checkin, ContactOutcome.well, now)
    household = household_for(session, inbound.from_phone) or checkin.household
    return texts.render("checkin_thanks", household.text_language, name=household.head_name)
