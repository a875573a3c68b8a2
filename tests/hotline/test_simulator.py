"""/simulator: the roster to play, texting as a phone through the webhook's code path, the live views, expiry."""
from rq.job import Job
from sqlalchemy import select

from dispatch.runtime import jobs
from dispatch.runtime.unit_of_work import utcnow
from models import InboundMessage, Offer, OfferStatus, OutboundMessage, Request, RequestStatus, db

JSON = {"Accept": "application/json"}


def send(client, phone, body, **headers):
    return client.post("/simulator/send", data={"phone": phone, "body": body}, headers=headers or JSON)


def conversation(client, phone):
    response = client.get("/simulator/api/conversation", query_string={"phone": phone})
    assert response.status_code == 200
    return response.get_json()


def test_page_lists_the_roster_grouped_with_names_places_and_duty(client, make):
    gacha = make.gacha(name="哈日根图嘎查")
    herder = make.household(place=gacha, name="乌云其其格")
    team = make.team(name="第一网格小分队", place=gacha, now=utcnow())
    resting = make.team(name="休息队", place=gacha, on_duty=False)
    leader = make.leader(gacha)
    db.session.commit()
    page = client.get("/simulator").get_data(as_text=True)
    for text in ("乌云其其格", "哈日根图嘎查", herder.phones[0].phone, team.members[0].name, "第一网格小分队",
                 "队长", "值班中", resting.members[0].phone, "未值班", leader.name, "嘎查书记"):
        assert text in page
    assert "让待接派单立即超时" in page and "9 紧急" in page


def test_household_sends_1_and_sees_its_text_and_the_reference(client, make):
    herder = make.household(name="巴特尔").phones[0].phone
    db.session.commit()
    response = send(client, herder, "1")
    request = db.session.scalar(select(Request))
    assert response.status_code == 200 and request.ref in response.get_json()["reply"]
    assert request.category == 1 and request.caller_phone == herder and request.status == RequestStatus.received

    view = conversation(client, herder)
    assert [(m["mine"], m["body"]) for m in view["messages"]][0] == (True, "1")
    reply = view["messages"][1]
    assert not reply["mine"] and request.ref in reply["body"] and reply["status"] == "replied"
    assert view["who"][0]["name"] == "巴特尔"
    assert db.session.scalar(select(InboundMessage.provider_sid)).startswith("SMsim")


def test_plain_form_post_redirects_back_to_the_phone(client, make):
    herder = make.household().phones[0].phone
    db.session.commit()
    response = send(client, herder, "家里没电了", Accept="text/html")
    assert response.status_code == 302 and "/simulator?phone=" in response.headers["Location"]
    assert db.session.scalar(select(Request.category)) == 4


def test_an_unknown_but_valid_number_is_a_caller_the_roster_does_not_know(client, ctx):
    response = send(client, "139 1234 5678", "送药")
    assert response.status_code == 200
    assert db.session.scalar(select(Request.caller_phone)) == "+8613912345678"
    assert conversation(client, "+8613912345678")["who"] == []


def test_a_garbage_number_or_bad_body_gets_a_clear_400_and_nothing_is_stored(client, ctx):
    for phone, body, words in (("hello", "1", "不是有效的电话号码"), ("", "1", "请先选择"),
                               ("+864778512345", "1", "值班号码本身"), ("13912345678", "", "不能为空"),
                               ("13912345678", "药" * 1601, "短信太长")):
        response = send(client, phone, body)
        assert response.status_code == 400 and words in response.get_json()["error"]
        page = send(client, phone, body, Accept="text/html")
        assert page.status_code == 400 and words in page.get_data(as_text=True)
    assert client.get("/simulator/api/conversation?phone=abc").status_code == 400
    assert client.get("/simulator?phone=abc").status_code == 400
    assert db.session.query(InboundMessage).count() == 0


def test_offer_reaches_the_member_with_one_tap_replies_and_expire_moves_it_on(app, client, make):
    gacha = make.gacha()
    herder = make.household(place=gacha).phones[0].phone
    team = make.team(name="近队", place=gacha, now=utcnow())
    db.session.commit()
    send(client, herder, "1")
    request = db.session.scalar(select(Request))
    jobs.dispatch_request(request.id)  # what the worker does after the commit
    member = team.members[0].phone
    view = conversation(client, member)
    assert request.ref in view["messages"][0]["body"] and view["messages"][0]["status"] == "pending"
    assert {"body": f"1 {request.ref}", "label": f"接单 {request.ref}"} in view["quick"]

    response = client.post("/simulator/expire-offers", headers=JSON)
    assert response.status_code == 200 and response.get_json()["expired"] == 1
    offer = db.session.scalar(select(Offer))
    db.session.refresh(offer)
    assert offer.status == OfferStatus.open and offer.expires_at <= utcnow()
    queue = app.extensions["hotline.queue"]
    assert Job.fetch(f"expire-{offer.id}-now", connection=queue.connection).args == (offer.id,)

    jobs.expire_offer(offer.id)  # the queued job, run here instead of by a worker
    db.session.refresh(offer)
    db.session.refresh(request)
    assert offer.status == OfferStatus.expired and request.status == RequestStatus.escalated
    overview = client.get("/simulator/api/overview").get_json()
    assert overview["requests"][0]["ref"] == request.ref and overview["requests"][0]["status_label"] == "已升级"
    assert any(m["phone"] == herder and "嘎查干部" in m["body"] for m in overview["messages"])


def test_member_quick_reply_accepts_and_the_herder_is_told_who_comes(app, client, make):
    gacha = make.gacha()
    herder = make.household(place=gacha).phones[0].phone
    team = make.team(name="近队", place=gacha, now=utcnow())
    db.session.commit()
    send(client, herder, "2")
    request = db.session.scalar(select(Request))
    jobs.dispatch_request(request.id)
    response = client.post("/simulator/send", data={"phone": team.members[0].phone, "body": "",
                                                    "quick": f"1 {request.ref}"}, headers=JSON)
    assert response.status_code == 200 and request.ref in response.get_json()["reply"]
    assigned = conversation(client, herder)["messages"][-1]
    assert "近队" in assigned["body"] and not assigned["mine"]
    assert {"body": f"0 {request.ref}", "label": f"完成 {request.ref}"} in conversation(
        client, team.members[0].phone)["quick"]


def test_expire_without_js_redirects_with_a_notice(client, ctx):
    response = client.post("/simulator/expire-offers", data={"phone": "13912345678"}, follow_redirects=True)
    assert response.status_code == 200 and "已让0个待接派单立即超时" in response.get_data(as_text=True)


def test_bodies_are_escaped_in_the_page(client, make):
    herder = make.household().phones[0].phone
    db.session.commit()
    send(client, herder, '<script>alert("x")</script>')
    for url in (f"/simulator?phone={herder.replace('+', '%2B')}", "/simulator"):
        page = client.get(url).get_data(as_text=True)
        assert '<script>alert("x")</script>' not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert db.session.scalar(select(OutboundMessage.template)) == "reply"
