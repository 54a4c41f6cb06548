"""API throttling per credential: each API token has its own budget (a user's several tokens do
not share one), a session its user's; the rate is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"]
(env API_THROTTLE_RATE). Over it the API answers 429 with Retry-After.

Anonymous requests are counted per client address, found as the login lockout and the audit log
find it (core.audit.client_address: AXES_PROXY_COUNT trusted proxies), so a client cannot pick a
fresh budget by sending another X-Forwarded-For."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .audit import client_address


class CredentialRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        # Read at request time (DRF binds THROTTLE_RATES when the module is imported).
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is not None and getattr(token, "pk", None) is not None:
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{client_address(request) or 'unknown'}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
