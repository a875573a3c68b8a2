"""Declines per member: one member's "no" withdraws that member only. The team's offer moves on when the
shift lead or the captain declines for the team, or when every member it went to has declined; the
teammates are told which, so nobody is left guessing whether the call is still theirs."""
from sqlalchemy import select

from models import Event, MemberRole, OfferDecline

from ..messaging import outbox
from .candidates import offered_members, shift_lead


def record_decline(session, offer, member, reason: str, now) -> None:
    """Keep the member's "no" (once per offer) and put it on the timeline."""
    if session.get(OfferDecline, (offer.id, member.id)) is None:
        session.add(OfferDecline(offer=offer, member=member, at=now, reason=reason))
        session.flush()
    Event.record(session, offer.request, "member_declined", now, actor=member.actor_name, detail=reason)


def speaks_for_team(session, offer, member) -> bool:
    """The captain, or the lead of the team's shift, declines for the whole team."""
    lead = shift_lead(session, offer)
    return member.role == MemberRole.captain or (lead is not None and lead.id == member.id)


def declined_ids(session, offer) -> set[int]:
    """The members who have said no to this offer."""
    return set(session.scalars(select(OfferDecline.member_id).where(OfferDecline.offer_id == offer.id)))


def still_asked(session, offer) -> list:
    """The members the offer went to who have not said no to it: whom its news (a reminder, a call, a teammate's
    "yes") still concerns."""
    said_no = declined_ids(session, offer)
    return [member for member in offered_members(session, offer) if member.id not in said_no]


def everyone_declined(session, offer) -> bool:
    """Whether every member the offer went to has said no."""
    return {m.id for m in offered_members(session, offer)} <= declined_ids(session, offer)


def tell_teammates(session, offer, decliner, template: str, now) -> None:
    """Tell the other members the offer went to what the decline means: `member_declined` (the offer is still
    theirs), `team_declined` (the captain or lead passed it on) or `all_declined` (everyone said no)."""
    request = offer.request
    # Only a single member's "no" leaves the offer standing: then those who also said no need not hear of it.
    members = still_asked(session, offer) if template == "member_declined" else offered_members(session, offer)
    for member in members:
        if member.id == decliner.id:
            continue
        outbox.record_sms(session, key=f"declined-{offer.id}-{template}-{decliner.id}-{member.id}", to=member.phone,
                          template=template, language=member.text_language, now=now, request=request,
                          offer=offer, ref=request.ref, member=decliner.name)
