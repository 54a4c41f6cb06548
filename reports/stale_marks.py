"""The marks of the report pages (`Report.staleness`, DESIGN §5) for every kind of draft: the
documents' through reports.staleness, the Ministry's table's here.

The Ministry's table (reports/files/ministry.py) keeps the fingerprint of the figures it holds
(`table_fingerprint`, taken when it is built: reports/generation.py `build_file`); the pages
compare it with that of the table gathered now, cached as reports.staleness caches the
documents' (the same key: data version, the small tables it does not follow, the day, the
settings, the code), so a page view gathers nothing until something the table says changes.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from core.data_version import cache_prefix, current_token

from . import staleness
from .models import Report

MINISTRY = "figures:ministry"  # Report.compared_fingerprints of the Ministry's table


def table_fingerprint(table) -> str:
    """The SHA-256 of the figures of a Ministry's table (ministry.MinistryTable): everything it
    writes but the province's name, which is that of the day it is built (as the documents'
    heading is left out of theirs)."""
    from .files.fingerprint import _canonical, _dump

    said = _canonical(table)
    said.pop("province")
    return hashlib.sha256(_dump(said).encode()).hexdigest()


def table_fingerprint_now(year: int, province: str) -> str:
    """The fingerprint of the Ministry's table of `year` and `province` if it were built now,
    gathered in the portal's language as the worker does."""
    from .files import ministry

    with translation.override(settings.LANGUAGE_CODE):
        return table_fingerprint(ministry.gather(year, province=province))


def mark_stale(reports) -> None:
    """Set `stale` on each of `reports` for the pages (`Report.staleness`; never an issued
    document): the Ministry's tables here, the documents through reports.staleness."""
    tables = [report for report in reports if report.kind == Report.Kind.MINISTRY_TABLE]
    staleness.mark_stale(
        [report for report in reports if report.kind != Report.Kind.MINISTRY_TABLE]
    )
    wanted = {(report.year, report.province) for report in tables if report.compared_fingerprints}
    if not wanted:
        return
    now = _cached(wanted)
    for report in tables:
        report.stale = report.staleness({MINISTRY: now.get((report.year, report.province))})


def _cached(wanted: set[tuple[int, str]]) -> dict[tuple[int, str], str]:
    token = current_token()
    if token is None:  # this transaction wrote data: nothing is read from or kept in the cache
        return {key: table_fingerprint_now(*key) for key in wanted}
    prefix = f"{cache_prefix()}:{token}:ministry-fingerprint:{staleness._inputs_stamp()}"
    keys = {key: f"{prefix}:{key[0]}:{key[1]}" for key in wanted}
    found = cache.get_many(list(keys.values()))
    now = {key: found[keys[key]] for key in wanted if keys[key] in found}
    fresh = {}
    for key in wanted - now.keys():
        now[key] = table_fingerprint_now(*key)
        fresh[keys[key]] = now[key]
    if fresh:
        cache.set_many(fresh, timeout=settings.DATA_CACHE_SECONDS)
    return now
