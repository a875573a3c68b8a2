"""Signing in: a code by SMS (hashed, 10 minutes, a few attempts, once), a password after, sessions that end,
and CSRF on every dashboard form (while the Twilio webhooks need none)."""
import re
import time
from datetime import timedelta

import flask_babel
from sqlalchemy import select

from dispatch.leaders import signin
from models import LoginCode, OutboundMessage, db
from tests.support.webhooks import signed_post, sms_form

from .conftest import csrf_from, post, sign_in


def ask_code(client, phone):
    client.get("/dashboard/login")
    return post(client, "/dashboard/login", {"phone": phone})


def code_sent_to(phone) -> str:
    message = db.session.scalar(select(OutboundMessage).where(OutboundMessage.to_phone == phone,
                                                              OutboundMessage.template == "login_code")
                                .order_by(OutboundMessage.id.desc()))
    return re.search(r"\d{6}", message.body).group(0)


def test_code_by_sms_signs_in_and_offers_a_password(client, scene):
    leader = scene.north_secretary
    response = ask_code(client, leader.phone)
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard/login/code"
    code = code_sent_to(leader.phone)
    stored = db.session.scalar(select(LoginCode))
    assert code not in stored.code_hash and stored.expires_at - stored.created_at == timedelta(minutes=10)
    with client.session_transaction() as session:
        requester = session["code_requester"]
    response = post(client, "/dashboard/login/code", {"code": code})
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard/password"
    assert client.get("/dashboard/").status_code == 200
    # The code works once.
    with client.session_transaction() as session:
        session.update(login_phone=leader.phone, code_requester=requester)
    assert post(client, "/dashboard/login/code", {"code": code}).status_code == 401


def test_sign_in_comes_back_to_the_page_asked_for(client, scene):
    leader = scene.north_secretary
    leader.password_hash = "set"  # skip the password offer
    db.session.commit()
    client.get("/dashboard/login?next=/dashboard/teams")
    post(client, "/dashboard/login", {"phone": leader.phone})
    response = post(client, "/dashboard/login/code", {"code": code_sent_to(leader.phone)})
    assert response.headers["Location"] == "/dashboard/teams"


def test_a_phone_not_in_the_roster_gets_the_same_answer_and_no_sms(client, scene):
    response = ask_code(client, "+8613712345678")
    assert response.status_code == 302
    assert "验证码已通过短信发出" in client.get("/dashboard/login/code").get_data(as_text=True)
    assert db.session.scalar(select(OutboundMessage).where(OutboundMessage.template == "login_code")) is None


def test_wrong_codes_are_counted_and_lock_the_code(client, scene):
    leader = scene.north_secretary
    ask_code(client, leader.phone)
    code = code_sent_to(leader.phone)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(signin.MAX_ATTEMPTS):
        response = post(client, "/dashboard/login/code", {"code": wrong})
        assert response.status_code == 401 and "验证码不对或已失效" in response.get_data(as_text=True)
    response = post(client, "/dashboard/login/code", {"code": code})  # even the right one, now
    assert response.status_code == 401 and client.get("/dashboard/").status_code == 302
    assert db.session.scalar(select(LoginCode)).attempts == signin.MAX_ATTEMPTS


def test_an_expired_code_is_refused(client, scene):
    leader = scene.north_secretary
    ask_code(client, leader.phone)
    code = code_sent_to(leader.phone)
    stored = db.session.scalar(select(LoginCode))
    stored.expires_at = stored.created_at  # ten minutes have passed
    db.session.commit()
    response = post(client, "/dashboard/login/code", {"code": code})
    assert response.status_code == 401 and "验证码不对或已失效" in response.get_data(as_text=True)


def test_codes_cannot_be_asked_for_in_a_loop(client, scene):
    leader = scene.north_secretary
    ask_code(client, leader.phone)
    ask_code(client, leader.phone)
    assert db.session.query(LoginCode).count() == 1  # the second ask sends nothing (and says nothing of it)


def test_password_is_hashed_and_then_signs_in(client, scene):
    leader = scene.north_secretary
    sign_in(client, leader)
    assert post(client, "/dashboard/password", {"password": "short", "again": "short"}).status_code == 400
    assert post(client, "/dashboard/password", {"password": "草原上的家2026", "again": "different"}).status_code == 400
    response = post(client, "/dashboard/password", {"password": "草原上的家2026", "again": "草原上的家2026"})
    assert response.status_code == 302
    db.session.refresh(leader)
    assert leader.password_hash and "草原上的家2026" not in leader.password_hash
    post(client, "/dashboard/logout")
    assert client.get("/dashboard/").status_code == 302
    client.get("/dashboard/login")
    bad = post(client, "/dashboard/login", {"phone": leader.phone, "password": "wrong-password"})
    assert bad.status_code == 401
    good = post(client, "/dashboard/login", {"phone": leader.phone, "password": "草原上的家2026"})
    assert good.status_code == 302 and good.headers["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200




def test_idle_and_old_sessions_end(client, scene):
    sign_in(client, scene.north_secretary)
    with client.session_transaction() as session:
        session["seen"] = time.time() - 61 * 60
    assert client.get("/dashboard/").status_code == 302
    sign_in(client, scene.north_secretary)
    with client.session_transaction() as session:
        session["signed_in"] = time.time() - 13 * 3600
    assert client.get("/dashboard/api/board").status_code == 401


def test_board_polling_does_not_keep_an_idle_session_alive(client, scene):
    sign_in(client, scene.north_secretary)
    with client.session_transaction() as session:
        session["seen"] = seen = time.time() - 600
    assert client.get("/dashboard/api/board").status_code == 200
    with client.session_transaction() as session:
        assert session["seen"] == seen


def test_posts_without_the_csrf_token_are_refused(client, scene):
    sign_in(client, scene.north_secretary)
    ref = scene.north_call.ref
    assert client.post(f"/dashboard/requests/{ref}/note", data={"note": "x"}).status_code == 400
    assert client.post(f"/dashboard/requests/{ref}/note", data={"note": "x", "csrf_token": "forged"}).status_code == 400
    assert client.post("/dashboard/logout").status_code == 400
    client.get("/dashboard/login")
    assert client.post("/dashboard/login", data={"phone": scene.north_secretary.phone}).status_code == 400
    assert scene.north_call.events[-1].kind == "received"
    # The token in the page's forms is the session's; the header works for scripts.
    page = client.get(f"/dashboard/requests/{ref}").get_data(as_text=True)
    assert client.post(f"/dashboard/requests/{ref}/note", data={"note": "x"},
                       headers={"X-CSRF-Token": csrf_from(page)}).status_code == 302


def test_twilio_webhooks_need_no_csrf_token(app, client, scene):
    response = signed_post(client, app, "/twilio/sms", sms_form("+8613700000077", "1"))
    assert response.status_code == 200


def test_the_interface_follows_the_leaders_language(client, scene, make):
    mongolian = make.leader(scene.north_team.place, language="mn")
    db.session.commit()
    sign_in(client, mongolian)
    page = client.get("/dashboard/").get_data(as_text=True)
    # 未结求助 in the traditional script: ᠳᠠᠭᠤᠰᠤᠭᠰᠠᠨ ᠦᠭᠡᠢ ᠭᠤᠶᠤᠴᠢᠯᠭ᠎ᠠ ("requests not finished")
    assert "\u1833\u1820\u182d\u1824\u1830\u1824\u182d\u1830\u1820\u1828 \u1826\u182d\u1821\u1822" in page
    assert '<html lang="mn-Mong">' in page and "未结求助" not in page
    post(client, "/dashboard/language", {"lang": "zh", "next": "/dashboard/"})
    # The test's requests share one app context (the fixtures hold it), where Flask-Babel keeps the locale it
    # chose; a real server has a fresh one per request.
    flask_babel.refresh()
    page = client.get("/dashboard/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page and ">未结求助</a>" in page


def test_unsafe_next_is_ignored(client, scene):
    sign_in(client, scene.north_secretary)
    response = post(client, "/dashboard/language", {"lang": "zh", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/dashboard/"


def test_the_session_cookie_is_secure_httponly_and_same_site(client):
    cookie = client.get("/dashboard/login").headers["Set-Cookie"]  # PUBLIC_BASE_URL is https in the tests
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
