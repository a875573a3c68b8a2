"""What an inbound text is: one table of readings, tried in order; the first that claims the text answers it.

1. our own number (a provider loop): stored, answered with nothing;
   the register's texts (dispatch/register/texting.py): a member's visit report `V <n> <outcome>` (访), a
   household's 平安 after the hotline's check-in SMS;
2. a member's reply (accept, decline, done), only when it names a reference, reports done, or an offer is
   open for them (or was just taken by a teammate): a stray `1` with nothing open falls through;
3. a leader's command: OPEN (列表), DONE <ref> of an open call in their scope;
   CARD (卡, карт) from anyone: the household's contact card by SMS (dispatch/register/card_text.py);
4. neighbour medicine sharing and price reports (dispatch/sharing), unless the text is an emergency;
5. a member or leader asking for help in so many words (求助, HELP, тусламж, an emergency word), or one who is
   also a household texting a category digit, or one with a request of their own open: a herder's need;
6. any other text from a member or leader (收到, 你好, ok, DONE of an unknown reference): opens nothing, and is
   answered with what they can type;
7. everyone else: a herder's need, or a text on their open request (herder.py).
"""
import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from models import OPEN_STATUSES, Household, InboundMessage, Leader, Member, Request

from ..messaging import texts
from ..messaging.phones import caller_id
from ..register import card_text
from ..register import texting as register_texting
from ..requests.intake import household_for
from ..sharing import texting as sharing_texting
from . import herder, leader_commands, member_replies, parse


@dataclass(frozen=True)
class Sender:
    """An inbound text and who sent it, looked up once: the member, leader and household its phone is."""

    inbound: InboundMessage
    member: Member | None
    leader: Leader | None
    household: Household | None
    now: datetime
    settings: dict

    @property
    def body(self) -> str:
        """What they wrote."""
        return self.inbound.body

    @property
    def is_staff(self) -> bool:
        """A duty member or a leader: someone whose texts are commands before they are needs."""
        return self.member is not None or self.leader is not None


def read(session, inbound: InboundMessage, now, settings) -> str:
    """The answer to an inbound text ("" for none), from the first reading of READINGS that claims it."""
    phone = inbound.from_phone
    member_id, leader_id = session.execute(_staff_ids(), {"phone": phone}).one()
    sender = Sender(inbound, session.get(Member, member_id) if member_id else None,
                    session.get(Leader, leader_id) if leader_id else None, household_for(session, phone), now,
                    settings)
    for reading in READINGS:
        answer = reading(session, sender)
        if answer is not None:
            return answer
    raise AssertionError("the last reading claims every text")


@functools.cache
def _staff_ids():
    """The member and the leader a phone is, as ids, in one round trip, built once: every text asks, and
    nearly every one is a herder's, who is neither (a member or leader is then loaded by id)."""
    def first_id(model):
        return select(model.id).where(model.phone == bindparam("phone")).limit(1).scalar_subquery()
    return select(first_id(Member), first_id(Leader))


def own_number(session, sender: Sender) -> str | None:
    """A text from the duty number itself (a provider or modem loop) is stored and never answered."""
    region = sender.settings["DEFAULT_REGION"]
    own = {caller_id(n, region) for n in (sender.settings.get("TWILIO_FROM_NUMBER"), sender.inbound.to_phone) if n}
    if sender.inbound.from_phone not in own:
        return None
    sender.inbound.sender_kind = "own"
    return ""


def register_report(session, sender: Sender) -> str | None:
    """A visit report or a check-in answer, read before a member's `1` or a herder's need could claim it."""
    return register_texting.answer_text(session, sender.inbound, sender.member, sender.now, sender.settings)


def member_reply(session, sender: Sender) -> str | None:
    """A duty member's accept, decline or done, when there is something for it to act on."""
    if sender.member is None:
        return None
    reply = parse.read_member_reply(sender.body)
    if reply is None:
        return None
    # None: nothing open for them, and a stray `1` is read further down, never as an old story.
    answer = member_replies.answer_member(session, sender.member, reply, sender.now, sender.settings, sender.inbound)
    if answer is not None:
        sender.inbound.sender_kind = "member"
    return answer


def leader_command(session, sender: Sender) -> str | None:
    """A leader's OPEN (or 列表) or DONE <ref>; a reference that is not an open call of theirs is not a command."""
    if sender.leader is None:
        return None
    if parse.is_open_calls_command(sender.body):
        sender.inbound.sender_kind = "leader"
        return leader_commands.open_calls_text(session, sender.leader, sender.now)
    reply = parse.read_member_reply(sender.body)
    if reply is None or reply.action != "done" or reply.ref is None:
        return None
    answer = leader_commands.close_by_text(session, sender.leader, reply.ref, sender.now, sender.inbound)
    if answer is not None:
        sender.inbound.sender_kind = "leader"
    return answer


def contact_card(session, sender: Sender) -> str | None:
    """CARD / 卡 / карт as the whole text: the card's essentials (who to call, the numbers) by SMS."""
    if not card_text.is_card_request(sender.body):
        return None
    sender.inbound.sender_kind = "herder"
    return card_text.card_answer(session, sender.household, sender.settings)


def sharing(session, sender: Sender) -> str | None:
    """A neighbour-sharing text (有/需 …) or a price report (涨价/假药 …); an emergency stays a need."""
    message = parse.read_herder_message(sender.body)
    if message is not None and message.category == parse.EMERGENCY:
        return None
    return sharing_texting.answer_text(session, sender.inbound, sender.member, sender.household, sender.now,
                                       sender.settings)


def staff_asking_for_help(session, sender: Sender) -> str | None:
    """A member or leader who asks for help explicitly is heard as a herder would be."""
    if not sender.is_staff:
        return None
    own_request = session.scalar(select(Request.id).where(
        Request.caller_phone == sender.inbound.from_phone, Request.status.in_(OPEN_STATUSES)).limit(1))
    if parse.is_help_request(sender.body) or own_request is not None or (
            sender.household is not None and parse.is_category_request(sender.body)):
        return herders_need(session, sender)
    return None


def staff_chatter(session, sender: Sender) -> str | None:
    """Any other text from a member or leader opens nothing; they are told what they can type."""
    if not sender.is_staff:
        return None
    if sender.leader is not None:
        sender.inbound.sender_kind = "leader"
        return texts.render("staff_help_leader", sender.leader.text_language)
    sender.inbound.sender_kind = "member"
    return texts.render("staff_help_member", sender.member.text_language)


def herders_need(session, sender: Sender) -> str:
    """A herder's text: a new need, a text on their open request, or the answer to the closing question."""
    sender.inbound.sender_kind = "herder"
    # A member or leader the household roster does not know is placed where they serve.
    place = sender.member.team.place if sender.member else sender.leader.place if sender.leader else None
    return herder.receive_herder_text(session, sender.inbound, sender.household, sender.now, sender.settings,
                                      place=place)


READINGS = (own_number, register_report, member_reply, leader_command, contact_card, sharing, staff_asking_for_help,
            staff_chatter, herders_need)
