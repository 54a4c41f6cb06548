"""The API's budget for anonymous requests is per client address, found as the login lockout
finds it (AXES_PROXY_COUNT trusted proxies): a client cannot get a fresh budget by sending another
X-Forwarded-For."""

import pytest
from django.core.cache import cache

SCHEMA = "/api/v1/schema/?format=json"  # public: anonymous requests are throttled


@pytest.fixture
def three_a_minute(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/minute"},
    }
    yield
    cache.clear()


def _get(client, address, forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.get(SCHEMA, **extra).status_code


def test_a_new_forwarded_for_does_not_escape_the_limit(client, db, three_a_minute, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)  # no trusted proxy (default)

    answers = [_get(client, "10.1.1.2", f"1.2.3.{n}") for n in range(5)]

    assert answers == [200, 200, 200, 429, 429]
    assert _get(client, "10.1.1.3", "1.2.3.1") == 200  # another client has its own budget


def test_behind_a_trusted_proxy_each_client_has_its_budget(client, db, three_a_minute, settings):
    # AXES_PROXY_COUNT=1 (the documented nginx): the address nginx appended is the client's.
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_COUNT = 0

    first = [_get(client, "127.0.0.1", "203.0.113.7") for _ in range(4)]
    # What a client puts before the proxy's own entry is ignored.
    spoofed = _get(client, "127.0.0.1", "1.2.3.4, 203.0.113.7")
    second = _get(client, "127.0.0.1", "203.0.113.8")

    assert first == [200, 200, 200, 429]
    assert spoofed == 429
    assert second == 200
