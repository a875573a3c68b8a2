"""A text that shares medicine (`有 退烧药 2`, `需 抗原`) or reports prices (`哄抬物价`): read, stored, matched,
answered. conversation/reader.py calls `answer_text` before a herder's text becomes a request."""
from models import ShareKind

from ..messaging import texts
from . import grammar, matching, prices, stock


def answer_text(session, inbound, member, household, now, settings) -> str | None:
    """The answer to a share or price-report text, or None when the text is neither (the herder's path reads it).
    `member`, `household`: who the phone is, as the reader looked it up."""
    is_price = grammar.is_price_report(inbound.body)
    share = None if is_price else grammar.read_share(inbound.body)
    if not is_price and share is None:
        return None
    inbound.sender_kind = "member" if member is not None and household is None else "herder"
    if is_price:
        return prices.receive_price_report(session, inbound, household, now,
                                           place=member.team.place if member is not None else None)
    again = stock.open_post_of(session, inbound.from_phone, share.kind, share.item, now, settings)
    if again is not None:
        return texts.render("share_again", str(again.language), item=texts.render(f"item_{again.item}",
                            str(again.language)), ref=again.ref)
    post = stock.post_share(session, kind=share.kind, item=share.item, quantity=share.quantity, text=share.text,
                            phone=inbound.from_phone, household=household, member=member, now=now)
    language = str(post.language)
    item = texts.render(f"item_{post.item}", language)
    if post.place is None:
        return texts.render("share_unplaced", language, item=item, ref=post.ref)
    if post.kind == ShareKind.have:
        matches = matching.match_have(session, post, now, settings)
        matching.tell_needs_found(session, matches, now)
        key = "share_have_matched" if matches else "share_have_kept"
    else:
        matches = matching.match_need(session, post, now, settings)
        key = "share_need_found" if matches else "share_need_kept"
    if matches:
        inbound.request = matches[0].request
    return texts.render(key, language, item=item, ref=post.ref, qty=sum(m.quantity for m in matches) or post.quantity)
