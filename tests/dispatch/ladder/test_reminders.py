"""Where the provider cannot ring (a modem: VOICE_CALLS off), the calls that read an offer become SMS: the
members get the offer a second time, the shift's lead is told how many have not answered, once per offer."""
from sqlalchemy import select

from dispatch.ladder import member_calls, offers, undelivered
from dispatch.requests.intake import open_request_for
from dispatch.runtime.unit_of_work import utcnow
from models import Call, OutboundMessage, OutboundStatus, db


def texts_to(phone):
    return [m.body for m in db.session.scalars(select(OutboundMessage).where(OutboundMessage.to_phone == phone)
                                               .order_by(OutboundMessage.id))]


def offered(app, make, members=3):
    gacha = make.gacha()
    herder = make.household(place=gacha, name="其木格")
    team = make.team(name="第三网格小分队", place=gacha, members=members)
    now = utcnow()
    request = open_request_for(db.session, caller=herder.phones[0].phone, category=1, text="", household=herder,
                               now=now, channel="sms")
    offer = offers.offer_to_next_team(db.session, request.id, now, app.config)
    return dict(app.config, VOICE_CALLS=False), offer, team, now


def test_half_time_without_an_answer_texts_the_members_again_and_tells_the_lead(app, make):
    settings, offer, team, now = offered(app, make)
    lead, *others = team.members
    assert member_calls.call_members(db.session, offer.id, now, settings, only_open=True) == []
    assert db.session.scalar(select(Call)) is None  # nobody is rung
    ref = offer.request.ref
    for member in team.members:
        assert (f"【再次派单{ref}】送药：其木格 {offer.request.caller_phone}，"
                                              f"{offer.request.place.name}。请回1接单，或回“2 {ref} 原因”拒绝。") in texts_to(member.phone)
    assert texts_to(lead.phone)[-1].startswith(f"【催办{ref}】第三网格小分队有2名队员未回复派单（送药，")
    member_calls.call_members(db.session, offer.id, now, settings, only_open=True)  # the job again: nothing new
    assert [len(texts_to(m.phone)) for m in team.members] == [3, 2, 2]


def test_an_offer_sms_that_failed_is_sent_again_and_the_lead_told(app, make):
    settings, offer, team, now = offered(app, make, members=2)
    lead, other = team.members
    failed = db.session.scalar(select(OutboundMessage).where(OutboundMessage.to_phone == other.phone))
    db.session.commit()
    failed.provider_sid = "hotline-failed"
    undelivered.record_report(db.session, "hotline-failed", "undelivered", "DeliveryFailed", now, settings)
    assert failed.status == OutboundStatus.undelivered
    assert texts_to(other.phone)[-1].startswith(f"【再次派单{offer.request.ref}】")
    assert texts_to(lead.phone)[-1].startswith(f"【催办{offer.request.ref}】第三网格小分队有1名队员未回复派单")
    assert offer.status == "open"  # the lead's own SMS may still arrive
