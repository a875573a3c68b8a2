"""Fixtures for tests that break real parts: an app that sends through the real twilio client to a fake."""
import io
import logging

import pytest

from hotline import create_app
from models import db
from tests.conftest import _settings
from tests.support.fake_twilio import FakeTwilio


@pytest.fixture
def fake_twilio():
    with FakeTwilio() as fake:
        yield fake


def twilio_settings(fake, **more):
    options = dict(SMS_BACKEND="twilio", TWILIO_ACCOUNT_SID=fake.account_sid, TWILIO_AUTH_TOKEN=fake.auth_token,
                   TWILIO_API_BASE=fake.base_url, SEND_TIMEOUT_SECONDS=1)
    return _settings(**{**options, **more})


@pytest.fixture
def twilio_app(app, make, fake_twilio, tmp_path):
    """A second app on the test database whose gateway is the real twilio client aimed at the fake.

    Its context is pushed last (after `make`), so jobs run in it.
    """
    sender = create_app(twilio_settings(fake_twilio, INSTANCE_DIR=str(tmp_path)))
    with sender.app_context():
        yield sender
        db.session.remove()


@pytest.fixture
def log_file():
    """Everything logged at INFO and above, formatted the way `create_app`'s basicConfig writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    level, root.level = root.level, logging.INFO
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)
    root.level = level
