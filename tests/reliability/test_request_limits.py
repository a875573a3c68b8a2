"""Bodies over MAX_REQUEST_KB are refused before they are read, over real HTTP; Twilio's real forms still pass."""
import socket

from tests.support.stack import ServedApp

from .conftest import twilio_settings

HUNDREDS_OF_MEGABYTES = 200 * 1024 * 1024


def post_head_and_a_little(base_url: str, path: str, declared: int, sent: int) -> bytes:
    """Send a POST declaring `declared` bytes, send only `sent` of them, and read what the server answers.
    A server that waits for the whole body answers nothing: the socket times out and the test fails."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=15) as connection:
        connection.sendall((f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                            "Content-Type: application/x-www-form-urlencoded\r\n"
                            f"Content-Length: {declared}\r\nX-Twilio-Signature: forged\r\n\r\n").encode())
        connection.sendall(b"Body=" + b"x" * (sent - 5))
        return connection.recv(4096)


def test_a_huge_unsigned_post_is_refused_before_it_is_read(app, ctx, fake_twilio, tmp_path):
    web = ServedApp(twilio_settings(fake_twilio, INSTANCE_DIR=str(tmp_path)))
    try:
        for path in ("/twilio/sms", "/twilio/status", "/twilio/voice", "/dashboard/login"):
            answer = post_head_and_a_little(web.base_url, path, HUNDREDS_OF_MEGABYTES, 64 * 1024)
            assert answer.startswith(b"HTTP/1.1 413"), (path, answer[:200])
        # Within the limit, a forged signature is still what decides: 403, and nothing is stored.
        answer = post_head_and_a_little(web.base_url, "/twilio/sms", 2000, 2000)
        assert answer.startswith(b"HTTP/1.1 403")
        assert web.post_sms("+8613900000001", "药" * 1600).status_code == 200  # ten long SMS, percent-encoded
    finally:
        web.stop()
