"""What leaders and monitoring see of the modem: /healthz and a line on every dashboard page say how many SMS
wait and were sent today, a modem that has sent nothing while its outbox waits is called stalled, and the
SIM's daily limit stops sending (messages are kept and retried, the page says why)."""
from sqlalchemy import select

from models import MessageStatusEvent, OutboundMessage, OutboundStatus, db
from tests.hotline.dashboard.conftest import sign_in

from .test_gammu_route import LONG_NAME, offered, take


def health(app):
    response = app.test_client().get("/healthz")
    return response.status_code, response.json


def test_healthz_and_the_board_show_the_modem_and_that_there_is_no_voice(gammu_app, smsd, make):
    offered(gammu_app, smsd, make)  # the herder's answer (1 part) and the offer (2 parts) have left
    status, body = health(gammu_app)
    assert status == 200 and body["database"] == "ok" and body["redis"] == "ok"
    assert body["modem"]["state"] == "ok" and body["modem"]["sent_today"] == 3 and body["modem"]["waiting"] == 0
    assert body["modem"]["phone"]["id"] == "dummy1" and body["voice"].startswith("off")
    client = gammu_app.test_client()
    sign_in(client, make.leader(make.gacha()))
    db.session.commit()
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "短信猫正常：今日已发3条（上限500条），排队0条。" in page and "没有语音：来电转为回电求助" in page
    assert client.get("/dashboard/api/board").json["modem"]["state"] == "ok"


def test_a_modem_that_sends_nothing_while_its_outbox_waits_is_stalled(gammu_app, smsd, make):
    smsd.pause()  # the modem hangs: what is queued stays queued
    gacha = make.gacha()
    herder = make.household(place=gacha, name=LONG_NAME)
    make.team(place=gacha)
    leader = make.leader(gacha)
    db.session.commit()
    gammu_app.extensions["hotline.sms_gateway"].send(herder.phones[0].phone, "测试")
    assert health(gammu_app)[1]["modem"]["state"] == "ok"  # only just queued
    # Twenty minutes on, with nothing sent:
    smsd.query("""UPDATE outbox SET "InsertIntoDB" = "InsertIntoDB" - interval '20 minutes 30 seconds'""")
    status, body = health(gammu_app)
    assert status == 200 and body["modem"]["state"] == "stalled"
    assert body["modem"]["waiting"] == 1 and body["modem"]["oldest_waiting_minutes"] == 20
    client = gammu_app.test_client()
    sign_in(client, leader)
    page = client.get("/dashboard/teams").get_data(as_text=True)
    assert "短信猫可能已停止：1条短信在排队，20分钟没有发出" in page and 'class="flash error" id="modem"' in page
    smsd.resume()
    smsd.wait_drained()
    assert health(gammu_app)[1]["modem"]["state"] == "ok"


def test_the_sims_daily_limit_stops_sending_and_says_so(gammu_app, smsd, make):
    gammu_app.config["GAMMU_DAILY_LIMIT"] = 3
    reader, herder, near, _ = offered(gammu_app, smsd, make)  # 3 parts: the limit
    assert health(gammu_app)[1]["modem"]["state"] == "limit_reached"
    take(gammu_app, smsd, reader)
    smsd.receive(near.members[0].phone, "1")  # the member accepts: the echo and the herder's SMS must wait
    take(gammu_app, smsd, reader, inbox_rows=2)
    held = list(db.session.scalars(select(OutboundMessage).where(OutboundMessage.status == OutboundStatus.pending)))
    assert {m.to_phone for m in held} == {near.members[0].phone, herder}
    assert db.session.scalar(select(MessageStatusEvent.error_code).where(MessageStatusEvent.status == "retry")) \
        == "daily_limit"
    assert smsd.texts_to(near.members[0].phone) and len(smsd.texts_to(herder)) == 1  # nothing more left
    client = gammu_app.test_client()
    sign_in(client, make.leader(make.gacha()))
    db.session.commit()
    assert "短信猫今日已发3条，达到每日上限3条" in client.get("/dashboard/").get_data(as_text=True)


def test_the_operators_commands_set_up_and_report_the_modem(gammu_app, smsd):
    runner = gammu_app.test_cli_runner()
    schema = runner.invoke(args=["gammu", "schema"])
    assert schema.exit_code == 0 and "already there" in schema.output  # loaded once, never twice
    config = runner.invoke(args=["gammu", "smsdrc", "--device", "/dev/ttyUSB2"])
    assert config.exit_code == 0
    for line in ("connection = at", "Driver = native_pgsql", "PhoneID = dummy1", "DeliveryReport = sms",
                 "HangupCalls = 1", "RunOnIncomingCall = ", "gammu incoming-call"):
        assert line in config.output
    status = runner.invoke(args=["gammu", "status"])
    assert status.exit_code == 0 and '"state": "ok"' in status.output
