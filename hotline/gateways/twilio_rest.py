"""Build a Twilio REST client, optionally aimed at a local stand-in for api.twilio.com."""
from typing import Optional

from requests.adapters import HTTPAdapter
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

TWILIO_API = "https://api.twilio.com"
HTTP_TIMEOUT_SECONDS = 10  # never let a hung Twilio call block a request or worker forever
# Connections kept open to the provider, per process. The twilio library keeps cpu_count() + 4 (six on a
# two-core machine) while a worker's job threads each send a whole offer side by side: in a storm the rest were
# opened, used once and discarded (urllib3's "Connection pool is full"), a TLS handshake for every text.
KEPT_CONNECTIONS = 32


def keep_connections(http_client: TwilioHttpClient) -> TwilioHttpClient:
    """Mount adapters that keep KEPT_CONNECTIONS connections open, for https and (a local stand-in) http."""
    for scheme in ("https://", "http://"):
        http_client.session.mount(scheme, HTTPAdapter(pool_maxsize=KEPT_CONNECTIONS))
    return http_client


class _RebasedHttpClient(TwilioHttpClient):
    """TwilioHttpClient that sends api.twilio.com requests to another base URL."""

    def __init__(self, api_base: str, **kwargs):
        super().__init__(**kwargs)
        self.api_base = api_base.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        # The twilio library hard-codes https://api.twilio.com in each resource URL, so
        # the only way to reach a fake/test server is to swap the prefix at send time.
        return super().request(method, rebase(url, self.api_base), *args, **kwargs)


def rebase(url: str, api_base: Optional[str]) -> str:
    """`url` on api.twilio.com, sent to `api_base` instead when one is given."""
    if api_base and url.startswith(TWILIO_API):
        return api_base.rstrip("/") + url[len(TWILIO_API):]
    return url


def make_client(account_sid: str, auth_token: str, api_base: Optional[str] = None,
                timeout: float = HTTP_TIMEOUT_SECONDS) -> Client:
    """Return a twilio Client; with api_base, REST calls go there instead of api.twilio.com."""
    if api_base:
        http_client = _RebasedHttpClient(api_base, timeout=timeout)
    else:
        http_client = TwilioHttpClient(timeout=timeout)
    return Client(account_sid, auth_token, http_client=keep_connections(http_client))
