"""Callers who cannot be called back are capped per gacha and per hour, on the voice line and by SMS: a flood of
withheld numbers cannot burn a team's and its leaders' SMS budgets. Nothing is lost: every call and text is
stored and put on the newest of their requests, which the leaders see."""
from sqlalchemy import select

from dispatch.requests import withheld
from models import Event, InboundMessage, OutboundMessage, Request, db
from tests.support.voice import Call as TwilioCall
from tests.support.webhooks import run_queued_jobs, signed_post, sms_form, twiml_messages


def withheld_call(client, app, gacha_number: str, key: str = "1"):
    """A call from a withheld number: Chinese, the gacha number from the card, then a menu key."""
    call = TwilioCall(client, app, "anonymous")
    call.dial_in()
    call.press("2")
    call.press(gacha_number)
    return call.press(key)


def joined_to(request) -> list[Event]:
    return [e for e in request.events if e.kind == "withheld_joined"]


def test_withheld_calls_past_the_cap_join_the_newest_request_of_their_gacha(app, client, make):
    north, south = make.gacha(name="哈日根图嘎查"), make.gacha(name="巴音乌素嘎查", lat=37.8)
    north.short_number, south.short_number = "101", "102"
    member = make.team(place=north, members=1).members[0]
    db.session.commit()

    heard = [withheld_call(client, app, "101", key) for key in "12341234"]
    requests = list(db.session.scalars(select(Request).order_by(Request.id)))
    assert len(requests) == withheld.PER_GACHA_HOUR and all(r.place_id == north.id for r in requests)
    newest = requests[-1]
    assert len(joined_to(newest)) == 8 - withheld.PER_GACHA_HOUR  # every capped call is on its timeline
    for answer in heard[withheld.PER_GACHA_HOUR:]:
        assert answer.heard()[0] == "zh/still_open" and answer.digits_read("zh") == newest.ref * 2
    run_queued_jobs(app)
    offers = db.session.scalars(select(OutboundMessage).where(OutboundMessage.to_phone == member.phone)).all()
    assert len(offers) == withheld.PER_GACHA_HOUR  # the team was offered three requests, not eight

    withheld_call(client, app, "102")  # the neighbouring gacha's own cap is untouched
    assert db.session.scalar(select(Request).order_by(Request.id.desc())).place_id == south.id


def test_texts_from_senders_who_cannot_be_called_back_are_capped_per_hour_in_all(app, client, make):
    gachas = [make.gacha(name=f"{name}嘎查") for name in ("哈日根图", "巴音乌素", "查干陶勒盖", "乌兰胡舒")]
    db.session.commit()
    n = 0
    for gacha in gachas:
        for _ in range(withheld.PER_GACHA_HOUR):
            n += 1
            form = sms_form(f"sip:herder{n}@pbx.example.org", f"{gacha.name}，送药")
            twiml_messages(signed_post(client, app, "/twilio/sms", form))
    requests = list(db.session.scalars(select(Request).order_by(Request.id)))
    assert len(requests) == withheld.PER_HOUR  # twelve strangers, ten requests in the hour
    assert sum(len(joined_to(r)) for r in requests) == n - withheld.PER_HOUR
    stored = db.session.scalars(select(InboundMessage)).all()
    assert len(stored) == n and all(m.request_id is not None for m in stored)  # every text kept, on a request

    signed_post(client, app, "/twilio/sms", sms_form("+8613900000077", "哈日根图嘎查，送药"))
    assert db.session.query(Request).count() == withheld.PER_HOUR + 1  # a number we can call back is never capped
