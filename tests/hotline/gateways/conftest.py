"""Fixtures for the modem route: the real gammu-smsd on a dummy phone, and an app that sends through it."""
import pytest

from hotline import create_app
from models import db
from tests.support.gammu_smsd import gammu_settings, gammu_url, smsd  # noqa: F401 (fixtures)


@pytest.fixture
def gammu_app(app, make, smsd, tmp_path):
    """A second app on the test database whose gateway is gammu-smsd's tables; its context is pushed last, so
    jobs run in it."""
    modem = create_app(gammu_settings(smsd.url, INSTANCE_DIR=str(tmp_path)))
    with modem.app_context():
        yield modem
        db.session.remove()
