"""A facility's one-page progress summary (`reports/files/progress_pdf.py`) as the web request
serves it: rendering takes about a second of CPU in the web process, so the bytes are cached and
a user renders at most one at a time (a looping client held every worker).

The cache key holds what the PDF says:
- the data version (core.data_version, with the code's fingerprint): approved reports, options,
  assessments, the facility and its units, the conversion factors; inside a transaction that
  wrote data nothing is cached;
- the facility, the language in effect and the day (the date line and the "generated" date);
- a digest of what it reads that the data version does not follow: the grid emission factors
  (the tCO₂ of electricity saved) and the settings that name the issuer (reports.staleness).

A render takes a per-user lock (`cache.add`, released when it ends, `LOCK_SECONDS` at most if
the process dies): a second request of the same user meanwhile is refused (`RenderBusy`, the
view answers 429), unless the first one has already stored the PDF. With the default per-process
cache (no CACHE_URL) the lock and the PDFs are per process; with Redis every process shares them.
"""

import hashlib
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from assessments.models import GridEmissionFactor
from core.data_version import cache_prefix, current_token

from .files import progress_pdf as pdf_file
from .progress import FacilityProgress
from .staleness import SETTINGS

LOCK_SECONDS = 60  # a safety: the lock is released as soon as the render ends
RETRY_AFTER_SECONDS = 5  # one render takes about a second


class RenderBusy(Exception):
    """The user already has a summary being rendered."""


def summary_pdf(progress: FacilityProgress, user_id) -> bytes:
    """The PDF of `progress`, from the cache when it holds it, else rendered and stored; raises
    `RenderBusy` when `user_id` already has a render in progress."""
    day = timezone.localdate()
    key = _key(progress.facility.pk, day)
    if key is not None and (content := cache.get(key)) is not None:
        return content
    lock = f"sxsh:progress-pdf-render:user-{user_id}"
    if not cache.add(lock, 1, timeout=LOCK_SECONDS):
        raise RenderBusy
    try:
        # The request that held the lock may have stored it between the look-up and the lock.
        if key is not None and (content := cache.get(key)) is not None:
            return content
        content = pdf_file.progress_pdf(progress, day)
        if key is not None:
            cache.set(key, content, timeout=settings.DATA_CACHE_SECONDS)
        return content
    finally:
        cache.delete(lock)


def _key(facility_id: int, day: date) -> str | None:
    token = current_token()
    if token is None:  # this transaction wrote data: nothing is read from or kept in the cache
        return None
    language = translation.get_language() or settings.LANGUAGE_CODE
    return (
        f"{cache_prefix()}:{token}:progress-pdf:{facility_id}:{language}:{day.isoformat()}"
        f":{_inputs_stamp()}"
    )


def _inputs_stamp() -> str:
    """A digest of the inputs the data version does not follow: one query."""
    digest = hashlib.sha256()
    grid = GridEmissionFactor.objects.order_by("year").values_list("year", "t_co2_per_mwh")
    digest.update(repr(list(grid)).encode())
    digest.update(repr([getattr(settings, name, None) for name in SETTINGS]).encode())
    return digest.hexdigest()[:32]
