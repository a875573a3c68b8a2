"""The register's texts, read right after the duty number's own (conversation/reader.py): a
member's visit report (`V`/`访`), or a household's 平安 after the hotline's check-in SMS."""
from models import ContactOutcome

from ..messaging import texts
from . import hotline, visits
from .grammar import is_all_well, read_visit_report


def answer_text(session, inbound, member, now, settings) -> str | None:
    """The answer when the text is about the weekly contact; None when it is not (read it as usual). `member`:
    the member this phone is, as the reader looked it up."""
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
    household = checkin.household
    return texts.render("checkin_thanks", household.text_language, name=household.head_name)
