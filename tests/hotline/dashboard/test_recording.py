"""A leader plays a caller's voice message on the request's page; the audio comes through the app, which holds
the Twilio credentials the recording URL needs, and only for requests in the leader's scope."""
import pytest

from hotline.gateways.twilio import TwilioGateway
from models import db
from tests.support.fake_twilio import FakeTwilio

from .conftest import sign_in


@pytest.fixture
def twilio_recordings(app):
    with FakeTwilio() as fake:
        console = app.extensions["hotline.sms_gateway"]
        app.extensions["hotline.sms_gateway"] = TwilioGateway(fake.account_sid, fake.auth_token, "+864778512345",
                                                              app.config["PUBLIC_BASE_URL"], fake.base_url)
        yield fake
        app.extensions["hotline.sms_gateway"] = console


def test_leader_plays_the_voice_message_of_a_call_in_scope(client, scene, twilio_recordings):
    scene.north_call.channel = "voice"
    scene.north_call.recording_url = twilio_recordings.add_recording("RE" + "1" * 32, b"ID3 the herder speaking")
    scene.south_call.recording_url = twilio_recordings.add_recording("RE" + "2" * 32)
    db.session.commit()
    sign_in(client, scene.north_secretary)
    page = client.get(f"/dashboard/requests/{scene.north_call.ref}").get_data(as_text=True)
    assert f"/dashboard/requests/{scene.north_call.ref}/recording" in page
    audio = client.get(f"/dashboard/requests/{scene.north_call.ref}/recording")
    assert audio.status_code == 200 and audio.data == b"ID3 the herder speaking" and audio.mimetype == "audio/mpeg"
    assert client.get(f"/dashboard/requests/{scene.south_call.ref}/recording").status_code == 404  # not theirs


def test_no_recording_or_a_foreign_url_is_a_404(client, scene, twilio_recordings):
    scene.north_call.recording_url = "https://evil.example/steal"  # credentials go to Twilio only
    db.session.commit()
    sign_in(client, scene.north_secretary)
    assert client.get(f"/dashboard/requests/{scene.north_call.ref}/recording").status_code == 404
    client.get("/dashboard/logout")
    assert client.get(f"/dashboard/requests/{scene.south_call.ref}/recording").status_code == 404


def test_only_this_accounts_recordings_are_fetched_and_only_audio_served(client, scene, twilio_recordings):
    other_account = "AC" + "f" * 32
    scene.north_call.recording_url = (f"https://api.twilio.com/2010-04-01/Accounts/{other_account}/Recordings/RE"
                                      + "3" * 32)
    db.session.commit()
    sign_in(client, scene.north_secretary)
    assert client.get(f"/dashboard/requests/{scene.north_call.ref}/recording").status_code == 404
    assert twilio_recordings.recording_fetches == []  # our credentials never went to ask for it
    page = twilio_recordings.add_recording("RE" + "4" * 32, b"<script>alert(1)</script>", content_type="text/html")
    scene.north_call.recording_url = page
    db.session.commit()
    response = client.get(f"/dashboard/requests/{scene.north_call.ref}/recording")
    assert response.status_code == 404 and b"script" not in response.data


def test_a_stored_recording_url_is_never_a_link(client, scene, twilio_recordings):
    scene.north_call.channel = "voice"
    scene.north_call.recording_url = "javascript:alert(document.cookie)"
    db.session.commit()
    sign_in(client, scene.north_secretary)
    page = client.get(f"/dashboard/requests/{scene.north_call.ref}").get_data(as_text=True)
    assert 'href="javascript:' not in page
    assert f'href="/dashboard/requests/{scene.north_call.ref}/recording"' in page
