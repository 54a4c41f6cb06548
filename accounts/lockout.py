"""Login throttling (django-axes) that an attacker cannot turn against a user.

* Failures are counted per (username, client address). The address is the real client's behind
  the configured reverse proxies (django-ipware; `AXES_PROXY_COUNT` in the settings), so failures
  from one place never lock the same user out at another, and a client cannot choose the address
  it is counted under by sending `X-Forwarded-For`.
* After `AXES_FAILURE_LIMIT` failures the pair is locked for an exponential delay:
  base × 2^(failures − limit), capped (1 min, 2, 4 … ≤ 1 h by default), counted from the last
  recorded failure.
* Attempts made while the pair is locked are refused without being recorded
  (`AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False`): they neither restart the delay nor
  raise it, so a user under attack gets back in once the delay has passed instead of being locked
  for as long as the attacker keeps trying.
* The failure count itself is kept `AXES_FAILURE_WINDOW_HOURS` after the last failure, so the next
  failure after a lock doubles the delay rather than granting a fresh set of tries; a successful
  login clears it (`AXES_RESET_ON_SUCCESS`).

django-axes uses one setting, `AXES_COOLOFF_TIME`, both as the lock length and as the age after
which failures are forgotten; `ExponentialLockoutHandler` separates the two. `cool_off` (the
`AXES_COOLOFF_TIME` callable) gives the lock length of the request's pair, which is also what the
lockout page shows: django-axes hands it to registration/locked_out.html as `cooloff_timedelta`,
and the page states its `minutes` (a `LockLength`: whole minutes rounded up, never "0 phút").

Each lock that begins is written to the audit log once (`account_locked_out`, accounts/audit.py):
the attempts refused while it lasts are not.
"""

import math
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from .audit import record_lockout

# 2^32 minutes is far beyond any cap; keeps the power small whatever the failure count.
_MAX_EXPONENT = 32


class LockLength(timedelta):
    """A lock length, with the whole minutes the lockout page states."""

    @property
    def minutes(self) -> int:
        """Minutes rounded up, at least 1: a 30-second lock is "1 phút", 90 seconds "2 phút"."""
        return max(1, math.ceil(self.total_seconds() / 60))


def lockout_delay(failures: int) -> LockLength:
    """How long a pair with `failures` recorded failures is locked after the last one."""
    limit = settings.AXES_FAILURE_LIMIT
    if failures < limit:
        return LockLength(0)
    exponent = min(failures - limit, _MAX_EXPONENT)
    seconds = settings.AXES_LOCKOUT_BASE_SECONDS * 2**exponent
    return LockLength(seconds=min(seconds, settings.AXES_LOCKOUT_MAX_MINUTES * 60))


def failure_window() -> timedelta:
    return timedelta(hours=settings.AXES_FAILURE_WINDOW_HOURS)


def normalised_username(request, credentials=None):
    """AXES_USERNAME_CALLABLE: logins are case-insensitive, so is the failure count ("Canbo" and
    "canbo" are one account and share one counter)."""
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        username = data.get(settings.AXES_USERNAME_FORM_FIELD)
    return username.strip().lower() if isinstance(username, str) else username


class ExponentialLockoutHandler(AxesDatabaseHandler):
    """The database handler (attempts shared by every process) with an exponential lock."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        """django-axes records the failure and locks the pair at the limit; a lock that begins
        with this failure (not an attempt refused because the pair was already locked) goes to
        the audit log."""
        already_locked = getattr(request, "axes_locked_out", False)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if (
            request is not None
            and not already_locked
            and getattr(request, "axes_locked_out", False)
        ):
            record_lockout(request, get_client_username(request, credentials))

    def get_user_attempts(self, request, credentials=None):
        """The pair's attempts still remembered: the last failure is within the failure window
        (not within AXES_COOLOFF_TIME, which is the lock length)."""
        since = timezone.now() - failure_window()
        return [
            attempts.filter(attempt_time__gte=since)
            for attempts in self.filter_user_attempts(request, credentials)
        ]

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        count, _ = AccessAttempt.objects.filter(
            attempt_time__lt=timezone.now() - failure_window()
        ).delete()
        return count

    def last_failure(self, request, credentials=None):
        times = [
            attempts.aggregate(last=Max("attempt_time"))["last"]
            for attempts in self.get_user_attempts(request, credentials)
        ]
        times = [t for t in times if t is not None]
        return max(times) if times else None

    def is_locked(self, request, credentials=None) -> bool:
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return False
        failures = self.get_failures(request, credentials)
        if failures < get_failure_limit(request, credentials):
            return False
        last = self.last_failure(request, credentials)
        return last is not None and timezone.now() < last + lockout_delay(failures)


def cool_off(request=None) -> LockLength:
    """AXES_COOLOFF_TIME: the lock length of the request's (username, address) pair. The
    username is the credentials' axes was given (`axes_credentials`: a password re-check such as
    the API token form has no username field), else the login form's."""
    limit = settings.AXES_FAILURE_LIMIT
    if request is None or not hasattr(request, "axes_ip_address"):
        return lockout_delay(limit)
    credentials = getattr(request, "axes_credentials", None)
    if get_client_username(request, credentials) is None:
        return lockout_delay(limit)
    failures = ExponentialLockoutHandler().get_failures(request, credentials)
    return lockout_delay(max(failures, limit))
