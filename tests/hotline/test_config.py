"""Start-up stops with a sentence that names a bad or missing setting."""
import subprocess
import sys
from pathlib import Path

import pytest

from hotline.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]
TWILIO = {"SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t",
          "TWILIO_FROM_NUMBER": "+864778512345", "PUBLIC_BASE_URL": "https://hotline.example.org"}


@pytest.mark.parametrize("environ, named", [
    ({"OFFER_TIMEOUT_SECONDS": "five minutes"}, "OFFER_TIMEOUT_SECONDS must be a number"),
    ({"MAX_OFFERS": "0"}, "MAX_OFFERS must be at least 1"),
    ({"DETOUR_FACTOR": "0.5"}, "DETOUR_FACTOR must be at least 1.0"),
    ({"TIMEZONE": "Mars/Olympus"}, "TIMEZONE 'Mars/Olympus' is not a known time zone"),
    ({"DEFAULT_REGION": "XX"}, "DEFAULT_REGION 'XX'"),
    ({"SMS_BACKEND": "pigeon"}, "SMS_BACKEND must be 'twilio', 'gammu' or 'console'"),
    ({"SMS_BACKEND": "twilio"}, "TWILIO_ACCOUNT_SID is required"),
    ({"SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t"},
     "TWILIO_FROM_NUMBER is required"),
    ({"PUBLIC_BASE_URL": "hotline.example.org"}, "PUBLIC_BASE_URL must be an http(s) URL"),
    ({"CHECKIN_HOUR": "24"}, "CHECKIN_HOUR must be an hour of the day from 0 to 23, not 24"),
    ({"DIGEST_HOUR": "eight"}, "DIGEST_HOUR must be a number"),
    ({"CHECKIN_GRACE_DAYS": "-1"}, "CHECKIN_GRACE_DAYS must be at least 0"),
    ({"DUTY_NUMBER": "12345"}, "DUTY_NUMBER '12345' is not a phone number"),
    ({"CARDS_PER_DOWNLOAD": "0"}, "CARDS_PER_DOWNLOAD must be at least 1"),
    ({"CHECKIN_REPLY_HOURS": "0"}, "CHECKIN_REPLY_HOURS must be at least 1"),
    ({"CHECKIN_RETRY_MINUTES": "soon"}, "CHECKIN_RETRY_MINUTES must be a number"),
    ({"EMERGENCY_OFFER_TIMEOUT_SECONDS": "0"}, "EMERGENCY_OFFER_TIMEOUT_SECONDS must be at least 1"),
    ({"DATABASE_URL": "postgresql://db/hotline", "SMS_BACKEND": "console"}, "SECRET_KEY is required"),
    ({"DATABASE_URL": "postgresql://db/hotline", "SECRET_KEY": "s"}, "SMS_BACKEND must be set"),
    ({"SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t",
      "TWILIO_FROM_NUMBER": "+864778512345"}, "PUBLIC_BASE_URL is required"),
    # Any deployment needs a secret of its own, a database named or not: the default one is in this repository.
    ({**TWILIO}, "SECRET_KEY is required for a deployment"),
    ({**TWILIO, "SECRET_KEY": "embedded-development-only"}, "not the development default"),
    ({**TWILIO, "SECRET_KEY": "hotline"}, "at least 16 characters"),
    ({"DATABASE_URL": "postgresql://db/hotline", "SMS_BACKEND": "console", "SECRET_KEY": "short"},
     "at least 16 characters"),
])
def test_bad_setting_is_named(environ, named):
    with pytest.raises(ConfigError, match=named.replace("(", r"\(").replace(")", r"\)")):
        load_config(environ=environ)


def test_defaults_are_the_documented_ones():
    config = load_config(environ={})
    assert (config["OFFER_TIMEOUT_SECONDS"], config["MAX_OFFERS"], config["DETOUR_FACTOR"]) == (300, 3, 1.3)
    assert (config["DEFAULT_REGION"], config["TIMEZONE"], config["SMS_BACKEND"]) == ("CN", "Asia/Shanghai", "console")
    assert config["EMERGENCY_OFFER_TIMEOUT_SECONDS"] == 120
    assert (config["CHECKIN_DAYS"], config["CHECKIN_DAYS_RED"], config["CHECKIN_GRACE_DAYS"]) == (7, 3, 2)
    assert (config["CHECKIN_HOUR"], config["DIGEST_HOUR"]) == (9, 8)
    assert (config["CHECKIN_REPLY_HOURS"], config["CHECKIN_RETRY_MINUTES"]) == (24, 60)


def test_flask_command_prints_the_sentence_not_a_traceback(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "MAX_OFFERS": "many", "INSTANCE_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "routes"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Configuration error: MAX_OFFERS must be a number, not 'many'." in result.stderr
    assert "Traceback" not in result.stderr


def test_a_twilio_deployment_without_a_secret_of_its_own_does_not_start(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "INSTANCE_DIR": str(tmp_path), **TWILIO}  # no DATABASE_URL either
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "routes"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "SECRET_KEY is required for a deployment" in result.stderr


def test_the_console_on_a_newcomers_machine_still_starts_without_one():
    assert load_config(environ={})["SECRET_KEY"] == "embedded-development-only"


def test_the_duty_number_on_cards_is_stored_as_e164_and_defaults_to_the_from_number():
    assert load_config({"DUTY_NUMBER": "0477 851 2345"}, environ={})["DUTY_NUMBER"] == "+864778512345"
    assert load_config({"TWILIO_FROM_NUMBER": "+864778599999"}, environ={})["DUTY_NUMBER"] == "+864778599999"
