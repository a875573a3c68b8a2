"""The modem route with the real gammu-smsd on Gammu's dummy phone: an SMS that reaches the modem becomes a
request and is answered by SMS, the offer leaves in parts with Gammu's headers, delivery reports mark it
delivered, and a failed one moves the ladder on (the member texted again, the shift lead told); a send in doubt
is looked up in gammu's tables before it is ever queued again."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from dispatch.messaging import delivery, outbox
from dispatch.runtime import jobs
from dispatch.runtime.unit_of_work import run_and_commit, utcnow
from hotline.gateways import sms_parts
from hotline.gateways.gammu_inbox import ModemReader
from models import InboundMessage, OfferStatus, OutboundMessage, OutboundStatus, Request, RequestStatus, db
from tests.support.gammu_smsd import wait_for
from tests.support.webhooks import run_queued_jobs

LONG_NAME = "乌云其木格·巴特尔其其格"  # makes the offer a two-part SMS


def national(phone: str) -> str:
    """How the network may give a mainland number: without +86."""
    return phone.removeprefix("+86")


def take(app, smsd, reader, inbox_rows=None):
    """Wait for gammu-smsd to store what the dummy received, then run one pass of the worker's modem loop and
    the jobs it queued, and wait until the modem has sent what they queued."""
    if inbox_rows is not None:
        wait_for(lambda: len(smsd.inbox()) >= inbox_rows, what=f"{inbox_rows} inbox rows")
    reader.read_once()
    run_queued_jobs(app)
    smsd.wait_drained()
    db.session.expire_all()


def offered(gammu_app, smsd, make, *, members=1, name=LONG_NAME):
    """A herder texts the modem for medicine; the nearer of two teams is offered it. (herder phone, near, far)."""
    gacha = make.gacha()
    herder = make.household(place=gacha, name=name)
    near = make.team(name="近处小分队", place=gacha, lat=38.1, lon=108.1, members=members)
    far = make.team(name="远处小分队", place=gacha, lat=38.6, lon=108.1)
    db.session.commit()
    reader = ModemReader(gammu_app)
    phone = herder.phones[0].phone
    smsd.receive(national(phone), "送药")
    take(gammu_app, smsd, reader, inbox_rows=1)
    return reader, phone, near, far


def test_an_sms_reaching_the_modem_becomes_a_request_answered_by_sms(gammu_app, smsd, make):
    reader, herder, _, _ = offered(gammu_app, smsd, make)
    request = db.session.scalar(select(Request))
    assert request.category == 1 and request.caller_phone == herder  # "139…" read as +86139…, the roster's
    assert request.household is not None
    [inbound] = db.session.scalars(select(InboundMessage))
    assert inbound.from_phone == herder and inbound.body == "送药" and inbound.form["Provider"] == "gammu"
    assert [row["Processed"] for row in smsd.inbox()] == [True]
    [answer] = smsd.texts_to(herder)  # no reply-in-response on a modem: the answer is an SMS of its own
    assert f"编号{request.ref}" in answer
    reply = db.session.scalar(select(OutboundMessage).where(OutboundMessage.template == "reply"))
    assert reply.status == OutboundStatus.sent and reply.provider_sid.startswith("hotline-")


def test_the_offer_leaves_in_parts_with_gammus_concatenation_headers(gammu_app, smsd, make):
    reader, herder, near, _ = offered(gammu_app, smsd, make)
    member = near.members[0]
    offer_sms = db.session.scalar(select(OutboundMessage).where(OutboundMessage.to_phone == member.phone))
    [parts] = smsd.sent_messages(member.phone)
    assert len(parts) == 2 and len(offer_sms.body) > 70
    headers = [sms_parts.decode_udh(part["UDH"]) for part in parts]
    assert len({ref for ref, _, _ in headers}) == 1 and [(total, seq) for _, total, seq in headers] == [(2, 1), (2, 2)]
    texts = [sms_parts.decode_text(part["Text"], part["Coding"]) for part in parts]
    assert all(part["Coding"] == "Unicode_No_Compression" for part in parts)
    assert all(sms_parts.units(text, sms_parts.CODING_UCS2) <= 67 for text in texts)  # never an over-long part
    assert "".join(texts) == offer_sms.body and LONG_NAME in offer_sms.body
    assert {part["Status"] for part in parts} == {"SendingOK"}


def test_a_delivery_report_marks_the_offer_delivered(gammu_app, smsd, make):
    reader, herder, near, _ = offered(gammu_app, smsd, make)
    member = near.members[0].phone
    smsd.report(member, delivered=True)
    wait_for(lambda: smsd.query('SELECT 1 FROM sentitems WHERE "Status" = \'DeliveryOK\''), what="DeliveryOK")
    take(gammu_app, smsd, reader)
    message = db.session.scalar(select(OutboundMessage).where(OutboundMessage.to_phone == member))
    assert message.status == OutboundStatus.delivered
    assert [h.status for h in message.history][-1] == "delivered"
    reader.read_once()  # the same report read again changes nothing
    db.session.expire_all()
    assert [h.status for h in message.history].count("delivered") == 1


def test_a_failed_delivery_moves_the_ladder_and_texts_the_member_again(gammu_app, smsd, make):
    reader, herder, near, far = offered(gammu_app, smsd, make, members=2)
    lead, other = near.members  # the first member leads the shift
    smsd.report(other.phone, delivered=False)
    wait_for(lambda: smsd.query('SELECT 1 FROM sentitems WHERE "Status" = \'DeliveryFailed\''), what="the report")
    take(gammu_app, smsd, reader)
    request = db.session.scalar(select(Request))
    failed = db.session.scalar(select(OutboundMessage).where(OutboundMessage.key.like("offer-%"),
                                                             OutboundMessage.to_phone == other.phone))
    assert failed.status == OutboundStatus.undelivered and failed.error_code == "DeliveryFailed"
    # No voice on a modem: a second SMS instead of the call, and the lead is told who has not answered.
    assert smsd.texts_to(other.phone)[-1].startswith(f"【再次派单{request.ref}】")
    assert f"【催办{request.ref}】近处小分队有1名队员未回复派单" in smsd.texts_to(lead.phone)[-1]
    assert [o.status for o in request.offers] == [OfferStatus.open]  # the lead's own SMS did arrive

    smsd.report(lead.phone, delivered=False)  # the oldest unreported message to the lead: the offer
    wait_for(lambda: len(smsd.query('SELECT DISTINCT "ID" FROM sentitems WHERE "Status" = \'DeliveryFailed\''))
             == 2, what="the second report")
    take(gammu_app, smsd, reader)
    db.session.expire_all()
    assert [o.status for o in request.offers] == [OfferStatus.expired, OfferStatus.open]
    assert request.offers[1].team_id == far.id and request.status == RequestStatus.offered
    assert request.ref in smsd.texts_to(far.members[0].phone)[0]


@pytest.mark.parametrize("text", ["您好，我家老人发烧三天了，想请医生来看看，顺便带些退烧药。我们住在哈日根图嘎查东边的草场，"
                                  "离嘎查中心大约二十公里，路不好走，请开越野车来。谢谢！",
                                  "Emch heregtei " * 20])
def test_a_long_sms_is_rebuilt_from_its_parts(gammu_app, smsd, make, text):
    herder = make.household()
    db.session.commit()
    smsd.receive(herder.phones[0].phone, text)
    expected = len(sms_parts.encode_message(text)[1])
    take(gammu_app, smsd, ModemReader(gammu_app), inbox_rows=expected)
    assert expected > 1
    [inbound] = db.session.scalars(select(InboundMessage))
    assert inbound.body == text and inbound.form["Parts"] == f"{expected}/{expected}"
    assert inbound.request is not None
    assert smsd.texts_to(herder.phones[0].phone)[0].startswith("已收到您的求助，编号")  # one need, one answer


def test_a_send_whose_worker_died_before_recording_it_is_found_not_sent_again(gammu_app, smsd, make):
    phone = make.household().phones[0].phone
    message = outbox.record_text(db.session, key="t-1", to=phone, body="测试：只发一次", template="reply",
                                 now=utcnow())
    outbox.discard(db.session)
    db.session.commit()
    claim = run_and_commit(lambda s, now: delivery.claim(s, message.id, now, gammu_app.config))
    gammu_app.extensions["hotline.sms_gateway"].send(claim.to, claim.body)  # the modem has it; the worker dies
    message.attempted_at -= timedelta(minutes=1)
    db.session.commit()
    assert jobs.send_message(message.id) == "found"
    smsd.wait_drained()
    assert smsd.texts_to(phone) == ["测试：只发一次"]
    db.session.expire_all()
    assert message.status == OutboundStatus.sent and message.provider_sid.startswith("hotline-")
    assert "found" in [h.error_code for h in message.history]
