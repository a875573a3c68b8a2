"""Texts from duty members: accept, decline and done, each answered with the reference it acted on."""
from datetime import timedelta

from sqlalchemy import select

from models import Member, Request

from ..ladder import offers
from ..messaging import texts
from . import parse


def answer_member(session, member: Member, reply: parse.MemberReply, now, settings, inbound=None) -> str | None:
    """Act on a member's reply and return the echo that names the reference it acted on; None when the reply
    names no reference and nothing is open for them (the text is then not a reply: the reader reads on).

    The inbound message is linked to the request it acted on, for the timeline and the ledgers.
    """
    language = member.text_language
    if reply.action == "done":
        return _done(session, member, reply.ref, now, language, inbound)
    candidates = offers.open_offers_for(session, member, now,
                                        timedelta(seconds=settings["OFFER_TIMEOUT_SECONDS"]))
    if reply.ref:
        chosen = [o for o in candidates if o.request.ref == reply.ref]
        if not chosen:
            known = session.scalar(select(Request).where(Request.ref == reply.ref))
            return texts.render("unknown_ref" if known is None else _why_not(known, member), language,
                                ref=reply.ref)
        offer = chosen[0]
    elif len(candidates) == 1:
        offer = candidates[0]
    elif not candidates:
        taken = offers.recently_taken_offer(session, member, now)
        if taken is not None:  # a second "yes" just after a teammate's (or another team's)
            return texts.render("already_taken", language, ref=taken.request.ref)
        return None
    else:
        return texts.render("need_ref", language, refs="、".join(o.request.ref for o in candidates))
    ref = offer.request.ref
    if reply.action == "accept":
        outcome = offers.accept_offer(session, offer.id, member, now)
        answer = texts.render("accept_ok", language, ref=ref, phone=offer.request.caller_phone) \
            if outcome == "accepted" else \
            texts.render("already_taken" if outcome == "taken" else "stale_offer", language, ref=ref)
    else:
        outcome = offers.decline_offer(session, offer.id, member, reply.reason, now, settings)
        # "withdrawn" when only this member is out (the offer stays with the teammates)
        answer = texts.render({"declined": "decline_ok", "withdrawn": "decline_member_ok"}.get(outcome, "stale_offer"),
                              language, ref=ref)
    _link(inbound, offer.request)
    return answer


def _link(inbound, request) -> None:
    """Tie the member's message to the request it acted on, only once the request's row lock is held:
    linking first would take a key-share lock that deadlocks two members accepting at once."""
    if inbound is not None:
        inbound.request = request


def _why_not(request: Request, member: Member) -> str:
    """A known reference the member cannot act on: taken by someone else (another team, or a teammate a moment
    earlier: two yeses at once), or no longer open."""
    if request.holder_team_id and request.holder_member_id != member.id:
        return "already_taken"
    return "stale_offer"


def _done(session, member, ref, now, language, inbound) -> str:
    if ref is None:
        held = list(session.scalars(select(Request).where(Request.holder_team_id == member.team_id,
                                                          Request.status == "accepted")))
        if len(held) != 1:
            return texts.render("member_help", language)
        request = held[0]
    else:
        request = session.scalar(select(Request).where(Request.ref == ref))
        if request is None:
            return texts.render("unknown_ref", language, ref=ref)
    outcome = offers.report_done(session, request, member, now)
    _link(inbound, request)
    key = {"done": "done_ok", "not_holder": "not_holder"}.get(outcome, "stale_offer")
    return texts.render(key, language, ref=request.ref)
