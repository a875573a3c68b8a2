"""/simulator/voice: a person walks the voice menu in the browser, through the webhooks' own code path."""
from sqlalchemy import select

from dispatch.runtime import jobs
from models import Call, CallStep, Offer, Request, db
from tests.support.webhooks import run_queued_jobs

JSON = {"Accept": "application/json"}


def post(client, url, **data):
    response = client.post(f"/simulator/voice/{url}", data=data, headers=JSON)
    return response.status_code, response.get_json()


def texts(reply):
    items = []
    for verb in reply["verbs"]:
        items += verb.get("items", [verb])
    return [item.get("text") for item in items if item["verb"] in ("play", "say")]


def test_a_herder_calls_presses_1_and_sees_what_is_said(client, make):
    gacha = make.gacha()
    gacha.short_number = "301"
    herder = make.household(place=gacha, name="巴特尔")
    db.session.commit()
    phone = herder.phones[0].phone
    status, greeting = post(client, "call", phone=phone)
    assert status == 200 and "您好，这里是暖心服务热线。" in texts(greeting)
    play = next(item for item in greeting["verbs"][0]["items"] if item["verb"] == "play")
    assert play["url"] == "/static/voice/zh/welcome.wav" and client.get(play["url"]).status_code == 200
    gather = greeting["verbs"][0]
    assert gather["verb"] == "gather" and gather["num_digits"] == "1"

    status, done = post(client, "press", phone=phone, call_sid=greeting["call_sid"], action=gather["action"],
                        digits="1")
    ref = db.session.scalar(select(Request.ref))
    assert status == 200 and done["state"]["ref"] == ref and "您的求助已收到：" in texts(done)
    assert done["verbs"][-1]["verb"] == "hangup"
    assert post(client, "hangup", phone=phone, call_sid=greeting["call_sid"])[1]["ended"]
    assert db.session.query(Request).count() == 1  # hanging up after choosing adds nothing


def test_hanging_up_at_once_in_the_simulator_asks_a_team_to_call_back(client, ctx):
    status, greeting = post(client, "call", phone="13900000088")
    status, ended = post(client, "hangup", phone="13900000088", call_sid=greeting["call_sid"])
    assert status == 200 and ended["state"]["step"] == "missed"
    assert db.session.scalar(select(Request.channel)) == "missed"


def test_a_member_answers_the_offer_call_on_the_keypad(app, client, make):
    herder = make.household()
    team = make.team(members=1)
    db.session.commit()
    member = team.members[0].phone
    client.post("/simulator/send", data={"phone": herder.phones[0].phone, "body": "2"}, headers=JSON)
    run_queued_jobs(app)
    jobs.call_offer_members(db.session.scalar(select(Offer.id)))  # half the offer's time has passed
    run_queued_jobs(app)
    ringing = client.get("/simulator/voice/incoming", query_string={"phone": member}).get_json()["calls"]
    [ring] = ringing
    status, reading = post(client, "press", phone=member, call_sid=ring["call_sid"], action=ring["action"],
                           kind="offer")
    assert status == 200 and "接单请按1，不能去请按2。" in texts(reading)
    status, accepted = post(client, "press", phone=member, call_sid=ring["call_sid"], kind="offer",
                            action=reading["verbs"][0]["action"], digits="1")
    assert "您已接单，谢谢。住户电话是：" in texts(accepted)
    assert db.session.scalar(select(Request.holder_member_id)) == team.members[0].id
    assert db.session.scalar(select(Call.step)) == CallStep.done


def test_the_keypad_refuses_what_it_cannot_play(client, ctx):
    assert post(client, "press", phone="13900000088", call_sid="nope", action="/twilio/voice/menu")[0] == 400
    assert post(client, "press", phone="13900000088", call_sid="CA1", action="/dashboard")[0] == 400
    assert post(client, "call", phone="not a phone")[0] == 400


def test_the_page_has_the_keypad_and_the_gacha_numbers(client, make):
    gacha = make.gacha(name="哈日根图嘎查")
    gacha.short_number = "301"
    herder = make.household(place=gacha)
    db.session.commit()
    page = client.get("/simulator", query_string={"phone": herder.phones[0].phone}).get_data(as_text=True)
    assert "拨打热线" in page and "keypad.js" in page and "<b>301</b> 哈日根图嘎查" in page
    assert "哈日根图嘎查 · 嘎查编号301" in page  # the roster list shows it too


def test_a_household_answers_the_hotlines_check_in_call_on_the_keypad(app, client, make):
    from dispatch.register import round as register_round
    from dispatch.runtime.unit_of_work import run_and_commit
    from models import Contact

    home = make.register_household(name="乌云")
    db.session.commit()
    run_and_commit(lambda s, now: register_round.run_round(s, now, app.config))
    run_queued_jobs(app)  # the console gateway "rings" the household
    phone = home.phones[0].phone
    [ring] = client.get("/simulator/voice/incoming", query_string={"phone": phone}).get_json()["calls"]
    status, asked = post(client, "press", phone=phone, call_sid=ring["call_sid"], action=ring["action"], kind="offer")
    assert status == 200 and "一切都好，请按1。需要帮助，请按2。" in texts(asked)
    status, thanked = post(client, "press", phone=phone, call_sid=ring["call_sid"], kind="offer",
                           action=asked["verbs"][0]["action"], digits="1")
    assert "谢谢您，祝您平安。需要帮助时随时来电。" in texts(thanked)
    assert str(db.session.scalar(select(Contact.outcome))) == "well"
