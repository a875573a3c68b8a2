"""What a hostile or careless user tried at the sign-in (issue 10): a copied cookie after sign-out or a new
password, telling leaders from strangers by the answers, locking a leader out from one address, a line break in
`next`, missing security headers."""
import re
from datetime import timedelta

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from dispatch.leaders import signin
from models import Leader, OutboundMessage, db

from .conftest import post
from .test_sign_in import ask_code, code_sent_to

PASSWORD = "草原上的家2026"


def with_password(leader) -> Leader:
    leader.password_hash = generate_password_hash(PASSWORD)
    db.session.commit()
    return leader


def sign_in_by_code(client, leader):
    ask_code(client, leader.phone)
    return post(client, "/dashboard/login/code", {"code": code_sent_to(leader.phone)})


def copy_of(client, app):
    """A second browser holding the same session cookie: what a thief copies."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    return thief


def flashes(response) -> list[str]:
    return re.findall(r'<p class="flash[^"]*" role="status">([^<]*)</p>', response.get_data(as_text=True))


def test_a_cookie_copied_before_sign_out_opens_nothing_after_it(app, client, scene):
    sign_in_by_code(client, scene.north_secretary)
    thief = copy_of(client, app)
    assert thief.get("/dashboard/").status_code == 200  # the copy works while the leader is signed in
    client.get("/dashboard/")
    assert post(client, "/dashboard/logout").status_code == 302
    assert client.get("/dashboard/").status_code == 302
    response = thief.get("/dashboard/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/dashboard/login")
    assert thief.get("/dashboard/api/board").status_code == 401


def test_a_new_password_asks_for_the_current_one_and_ends_every_other_session(app, client, scene):
    leader = with_password(scene.north_secretary)
    client.get("/dashboard/login")
    assert post(client, "/dashboard/login", {"phone": leader.phone, "password": PASSWORD}).status_code == 302
    thief = copy_of(client, app)
    page = client.get("/dashboard/password").get_data(as_text=True)
    assert 'name="current"' in page
    refused = post(client, "/dashboard/password", {"password": "新的密码新的密码", "again": "新的密码新的密码"})
    assert refused.status_code == 400 and "当前密码不对" in refused.get_data(as_text=True)
    wrong = post(client, "/dashboard/password", {"current": "guess-guess", "password": "新的密码新的密码",
                                                  "again": "新的密码新的密码"})
    assert wrong.status_code == 400
    assert thief.get("/dashboard/").status_code == 200  # nothing changed yet
    done = post(client, "/dashboard/password", {"current": PASSWORD, "password": "新的密码新的密码",
                                                 "again": "新的密码新的密码"})
    assert done.status_code == 302
    assert client.get("/dashboard/").status_code == 200  # the device that changed it stays signed in
    assert thief.get("/dashboard/").status_code == 302  # every other cookie is over


def test_a_forgotten_password_is_replaced_right_after_a_code_sign_in(client, scene):
    leader = with_password(scene.north_secretary)
    sign_in_by_code(client, leader)
    assert 'name="current"' not in client.get("/dashboard/password").get_data(as_text=True)
    assert post(client, "/dashboard/password", {"password": "新的密码新的密码",
                                                "again": "新的密码新的密码"}).status_code == 302
    post(client, "/dashboard/logout")
    client.get("/dashboard/login")
    assert post(client, "/dashboard/login", {"phone": leader.phone, "password": "新的密码新的密码"}).status_code == 302


def test_a_wrong_code_reads_the_same_for_a_leader_and_a_stranger(app, client, scene):
    stranger = app.test_client()
    answers = []
    for browser, phone in ((client, scene.north_secretary.phone), (stranger, "+8613712345678")):
        ask_code(browser, phone)
        response = post(browser, "/dashboard/login/code", {"code": "000001"})
        answers.append((response.status_code, flashes(response)))
    assert answers[0] == answers[1] and answers[0][0] == 401 and answers[0][1]


def test_a_stranger_guessing_cannot_spend_the_code_the_leader_holds(app, client, scene):
    leader = scene.north_secretary
    ask_code(client, leader.phone)
    code = code_sent_to(leader.phone)
    stranger = app.test_client()
    ask_code(stranger, leader.phone)  # within the minute: no new code, and the same words
    for guess in range(signin.MAX_ATTEMPTS + 1):
        assert post(stranger, "/dashboard/login/code", {"code": f"{guess:06d}"}).status_code == 401
    assert post(client, "/dashboard/login/code", {"code": code}).status_code == 302  # the leader is not locked out
    assert client.get("/dashboard/").status_code == 200 and stranger.get("/dashboard/").status_code == 302


def test_one_address_guessing_passwords_is_held_back_and_the_leader_is_not(client, scene):
    leader = with_password(scene.north_secretary)
    client.get("/dashboard/login")
    stranger = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(5):
        wrong = post(client, "/dashboard/login", {"phone": leader.phone, "password": "guess"}, environ_base=stranger)
        assert wrong.status_code == 401
    held = post(client, "/dashboard/login", {"phone": leader.phone, "password": PASSWORD}, environ_base=stranger)
    assert held.status_code == 429 and "尝试次数太多" in held.get_data(as_text=True)
    own = post(client, "/dashboard/login", {"phone": leader.phone, "password": PASSWORD},
               environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert own.status_code == 302  # the leader, from their own phone's address, signs in


def test_many_addresses_lock_passwords_for_a_while_and_a_second_lock_out_is_texted(client, scene):
    leader = with_password(scene.north_secretary)
    client.get("/dashboard/login")

    def guess_from_many(first: int):
        for n in range(first, first + signin.PASSWORD_FAILURES):
            post(client, "/dashboard/login", {"phone": leader.phone, "password": "guess"},
                 environ_base={"REMOTE_ADDR": f"203.0.113.{n}"})

    guess_from_many(1)
    right = post(client, "/dashboard/login", {"phone": leader.phone, "password": PASSWORD},
                 environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert right.status_code == 401  # locked for everyone: the guesses came from everywhere
    told = select(OutboundMessage).where(OutboundMessage.to_phone == leader.phone,
                                         OutboundMessage.template == "signin_locked")
    assert db.session.scalar(told) is None  # one lock-out may be the leader's own fumbling
    db.session.refresh(leader)
    leader.password_locked_until -= signin.PASSWORD_LOCKOUT  # a quarter of an hour passes...
    leader.last_lockout_at -= signin.PASSWORD_LOCKOUT
    db.session.commit()
    guess_from_many(100)  # ...and it starts again
    message = db.session.scalar(told)
    assert message is not None and "暂停15分钟" in message.body
    db.session.refresh(leader)
    leader.password_locked_until -= signin.PASSWORD_LOCKOUT + timedelta(seconds=1)
    db.session.commit()
    assert post(client, "/dashboard/login", {"phone": leader.phone, "password": PASSWORD},
                environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 302


def test_a_line_break_in_next_is_not_followed(client, scene):
    leader = with_password(scene.north_secretary)
    client.get("/dashboard/login?next=/dashboard/teams%0d%0aSet-Cookie:%20stolen=1")
    response = post(client, "/dashboard/login", {"phone": leader.phone, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard/"
    assert "stolen" not in response.headers.get("Set-Cookie", "")


def test_the_dashboard_sends_security_headers(client, scene):
    page = client.get("/dashboard/login")
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "script-src" not in csp or "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in page.headers  # plain http here
    behind_https = client.get("/dashboard/login", headers={"X-Forwarded-Proto": "https"})
    assert behind_https.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "onsubmit=" not in client.get("/dashboard/login").get_data(as_text=True)


def test_every_number_costs_the_same_hashing_a_leaders_or_not(app, client, scene, monkeypatch):
    """The 20 ms / 400 ms difference came from hashing only for leaders. Counted, not timed: each answer must
    compute the same hashes (werkzeug's, called through) whether the number is a leader's or not."""
    work = []
    for name in ("generate_password_hash", "check_password_hash"):
        real = getattr(signin, name)
        monkeypatch.setattr(signin, name, lambda *args, _real=real, _name=name: work.append(_name) or _real(*args))
    signin._stand_in_hash()  # made once per process, before anything is counted
    leader = with_password(scene.north_secretary)

    def cost(action) -> list[str]:
        work.clear()
        action()
        return sorted(work)

    pairs = ((leader.phone, "+8613712345678"), (scene.south_secretary.phone, "+8613712345679"))
    for n, (phone_a, phone_b) in enumerate(pairs):
        browser_a, browser_b = app.test_client(), app.test_client()
        for m, browser in enumerate((browser_a, browser_b)):
            browser.environ_base["REMOTE_ADDR"] = f"198.51.100.{10 * n + m}"  # well within each address's limits
            browser.get("/dashboard/login")
        wrong_password = [cost(lambda b=b, p=p: post(b, "/dashboard/login", {"phone": p, "password": "guess"}))
                          for b, p in ((browser_a, phone_a), (browser_b, phone_b))]
        asked = [cost(lambda b=b, p=p: ask_code(b, p)) for b, p in ((browser_a, phone_a), (browser_b, phone_b))]
        wrong_code = [cost(lambda b=b: post(b, "/dashboard/login/code", {"code": "000001"}))
                      for b in (browser_a, browser_b)]
        assert wrong_password[0] == wrong_password[1] and asked[0] == asked[1] and wrong_code[0] == wrong_code[1]
        assert wrong_password[0] and asked[0] and wrong_code[0]  # some hashing, the same for both
