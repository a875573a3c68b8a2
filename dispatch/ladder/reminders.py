"""Where the provider has no voice (a GSM modem), the calls that read an offer aloud become SMS: the members
get the offer a second time, and the shift's lead is told who has not answered, so a person can ring them."""
from sqlalchemy import select

from models import Event, Offer, OutboundMessage

from ..messaging import outbox, texts
from ..messaging.names import place_name, team_name
from . import declines
from .candidates import current_shift


def remind_by_sms(session, offer: Offer, now, phones=None) -> list[OutboundMessage]:
    """Text the offer again to its team's members (or those whose phone is in `phones`), once each per offer,
    and tell the lead of the team's shift now; returns the SMS recorded."""
    request = offer.request
    household = request.household
    reminded = []
    for member in declines.still_asked(session, offer):
        key = f"remind-{offer.id}-{member.id}"
        if (phones is not None and member.phone not in phones) or \
                session.scalar(select(OutboundMessage.id).where(OutboundMessage.key == key)) is not None:
            continue
        language = member.text_language
        reminded.append(outbox.record_sms(
            session, key=key, to=member.phone, template="offer_again", language=language, now=now,
            request=request, offer=offer, ref=request.ref, need=texts.category_name(request.category, language),
            name=household.head_name if household else texts.render("unknown_caller", language),
            phone=request.caller_phone, place=place_name(request.place, language)))
        Event.record(session, request, "member_reminded", now, detail=f"短信再次通知{member.name}（{member.phone}）")
    shift = current_shift(session, offer.team_id, now)
    lead = shift.lead if shift is not None else None
    others = [m for m in reminded if lead is None or m.to_phone != lead.phone]
    if lead is not None and others:
        language = lead.text_language
        outbox.record_sms(
            session, key=f"remind-{offer.id}-lead-{others[0].id}", to=lead.phone, template="lead_unanswered",
            language=language, now=now, request=request, offer=offer, ref=request.ref,
            team=team_name(offer.team, language), count=len(others), need=texts.category_name(request.category, language),
            place=place_name(request.place, language),
            name=household.head_name if household else texts.render("unknown_caller", language),
            phone=request.caller_phone)
        Event.record(session, request, "lead_told", now, detail=f"短信告知带班{lead.name}（{lead.phone}）有队员未回复")
    return reminded
