"""The simulator on Gammu's dummy phone: a text typed in it reaches the dummy, gammu-smsd and the worker's
modem loop, and the answer comes back through gammu-smsd; a delivery report can be played. The voice line
says plainly that it is off: no keypad, no voice webhooks, and the prompts command says why."""
import pytest
from sqlalchemy import select

from hotline import create_app
from hotline.gateways.gammu_inbox import ModemReader
from models import OutboundMessage, OutboundStatus, Request, db
from tests.support.gammu_smsd import gammu_settings, wait_for
from tests.support.webhooks import run_queued_jobs


@pytest.fixture
def dummy_app(app, make, smsd, tmp_path):
    """The app as `make run` builds it on the dummy phone (GAMMU_DUMMY_DIR mounts the simulator)."""
    trainer = create_app(gammu_settings(smsd.url, INSTANCE_DIR=str(tmp_path), GAMMU_DUMMY_DIR=str(smsd.phone_dir)))
    with trainer.app_context():
        yield trainer
        db.session.remove()


def thread(client, phone):
    return [(m["mine"], m["status"], m["body"]) for m in
            client.get("/simulator/api/conversation", query_string={"phone": phone}).json["messages"]]


def test_a_text_typed_in_the_simulator_goes_through_the_dummy_modem(dummy_app, smsd, make):
    gacha = make.gacha()
    herder = make.household(place=gacha)
    team = make.team(place=gacha)
    db.session.commit()
    client, phone, reader = dummy_app.test_client(), herder.phones[0].phone, ModemReader(dummy_app)
    sent = client.post("/simulator/send", data={"phone": phone, "body": "送药"}, headers={"Accept": "application/json"})
    assert sent.json == {"phone": phone, "reply": ""}  # no answer in the response: it comes as an SMS
    wait_for(smsd.inbox, what="gammu-smsd to store the text")
    reader.read_once()
    run_queued_jobs(dummy_app)
    smsd.wait_drained()
    ref = db.session.scalar(select(Request.ref))
    assert [(mine, body) for mine, _, body in thread(client, phone)] == [
        (True, "送药"), (False, f"已收到您的求助，编号{ref}。正在联系值班服务队，请保持电话畅通。")]
    member = team.members[0].phone
    assert ref in smsd.texts_to(member)[0]

    played = client.post("/simulator/report", data={"phone": member, "delivered": "0"},
                         headers={"Accept": "application/json"})
    assert "未送达" in played.json["message"]
    wait_for(lambda: smsd.query("""SELECT 1 FROM sentitems WHERE "Status" = 'DeliveryFailed'"""), what="the report")
    reader.read_once()
    run_queued_jobs(dummy_app)
    db.session.expire_all()
    offer = db.session.scalar(select(OutboundMessage).where(OutboundMessage.to_phone == member))
    assert offer.status == OutboundStatus.undelivered
    assert ("undelivered" in [s for _, s, _ in thread(client, member)])


def test_the_voice_line_says_plainly_that_it_is_off(dummy_app, make, smsd):
    herder = make.household()
    db.session.commit()
    client = dummy_app.test_client()
    page = client.get("/simulator", query_string={"phone": herder.phones[0].phone}).get_data(as_text=True)
    assert "本线路没有语音：打到短信猫的电话会被挂断，并转为回电求助" in page and 'id="keypad"' not in page
    assert client.post("/twilio/voice").status_code == 404 and client.post("/twilio/sms").status_code == 404
    assert client.post("/simulator/voice/call").status_code == 404
    result = dummy_app.test_cli_runner().invoke(args=["voice-prompts"])
    assert result.exit_code == 0 and "a modem has no voice line" in result.output


def test_no_simulator_on_a_real_modem(gammu_app):
    assert gammu_app.test_client().get("/simulator").status_code == 404
