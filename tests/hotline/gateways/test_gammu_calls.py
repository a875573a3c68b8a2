"""A call that reaches the modem: gammu-smsd hangs up (no voice line on a modem) and runs RunOnIncomingCall,
our `flask gammu incoming-call NUMBER`, which makes it a call-back request, as a missed call on the voice
line is. The real daemon runs the real command, with the app's settings in its environment."""
import os

import pytest
from sqlalchemy import select

from hotline.gateways.gammu_inbox import ModemReader
from hotline.gateways.gammu_setup import incoming_call_command
from models import Call, Request, db
from tests.support.gammu_smsd import DUMMY_CALLER, Smsd, gammu_settings, wait_for
from tests.support.webhooks import run_queued_jobs


def daemon_env(url, tmp_path) -> dict:
    """What the daemon's service unit would give it: the app's settings (its command builds the app)."""
    settings = gammu_settings(url, INSTANCE_DIR=str(tmp_path / "instance"))
    return dict(os.environ, **{k: str(v) for k, v in settings.items() if v is not None and k != "TESTING"})


@pytest.fixture
def ringing(gammu_app, gammu_url, tmp_path):
    """Start a daemon whose RunOnIncomingCall is `command`; stopped and emptied afterwards."""
    started = []

    def start(command: str) -> Smsd:
        daemon = Smsd(tmp_path / f"calls{len(started)}", gammu_url, on_call=command,
                      env=daemon_env(gammu_url, tmp_path)).start()
        started.append(daemon)
        return daemon

    yield start
    for daemon in started:
        daemon.close()


def test_a_call_to_the_modem_becomes_a_call_back_request(gammu_app, ringing, make, tmp_path):
    gacha = make.gacha()
    herder = make.household(place=gacha, name="其木格")
    team = make.team(place=gacha)
    db.session.commit()
    phone = herder.phones[0].phone
    # The dummy always rings from +800123456, which nobody can call back: the script stands in the herder's
    # number, as a network would give it, and runs the command an operator configures.
    script = tmp_path / "on_call.sh"
    script.write_text(f'#!/bin/sh\nexec {incoming_call_command()} "{phone}"\n')
    script.chmod(0o755)
    daemon = ringing(str(script))
    daemon.ring()
    request = wait_for(lambda: db.session.scalar(select(Request).execution_options(populate_existing=True)),
                       what="the call-back request")
    assert request.channel == "missed" and request.caller_phone == phone and request.household_id == herder.id
    call = db.session.scalar(select(Call))
    assert call.from_phone == phone and call.step == "missed" and call.provider_status == "busy"
    run_queued_jobs(gammu_app)  # its SMS go out through the modem
    daemon.wait_drained()
    [ack] = daemon.texts_to(phone)
    assert f"编号{request.ref}" in ack and "回电" in ack
    [offer] = daemon.texts_to(team.members[0].phone)
    assert offer.startswith(f"【回电{request.ref}】其木格")


def test_a_call_from_a_number_nobody_can_call_back_is_kept_without_a_request(gammu_app, ringing):
    daemon = ringing(incoming_call_command())  # the command as an operator's smsdrc has it
    daemon.ring()
    call = wait_for(lambda: db.session.scalar(select(Call).execution_options(populate_existing=True)),
                    what="the call to be recorded")
    assert call.from_phone == DUMMY_CALLER and call.step == "missed"
    assert db.session.scalar(select(Request)) is None
    ModemReader(gammu_app).read_once()
    assert daemon.sent_messages() == []
