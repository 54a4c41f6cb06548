"""Whether a built draft still says what its document would say now: the marks of the report
pages (DESIGN §5; `Report.staleness`), and the fingerprints of the content now they compare with.

Gathering a document's content reads every approved report of its year, so the fingerprints of
the content now are cached per document (year, period, province) and fingerprint, and a page
view gathers nothing until something it says changes. The cache key holds:
- the data version (core.data_version: any change to the data behind the figures replaces it;
  inside a transaction that wrote, nothing is cached);
- the rows of the small tables a document reads that the data version does not follow
  (`UNWATCHED`: the plan, its indicators, milestones and manual values, the statistics office's
  counts, the staff-written narrative), digested whole, bulk writes included;
- the day (a document's heading and issuer are those of the day; they are left out of the
  fingerprints, but nothing else may depend on it unseen), the settings that change what a
  document covers, and the code (core.data_version.cache_prefix).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from core.data_version import cache_prefix, current_token

# The models a document reads whose changes do not replace the data version (core.data_version
# WATCHED), as "app.Model"; small tables. A table the content starts to read must be named
# here or in WATCHED, else a change to it leaves the drafts unmarked.
UNWATCHED = (
    "assessments.GridEmissionFactor",  # the tCO₂ of the electricity saved
    "assessments.PlanPeriod",
    "reports.Indicator",
    "reports.IndicatorMilestone",
    "reports.IndicatorValue",
    "reports.EstablishmentCount",
    "reports.ReportNarrative",
)
SETTINGS = ("LANGUAGE_CODE", "PORTAL_SCOPE", "PORTAL_PROVINCE", "PORTAL_PROVINCE_CODE")


def fingerprints_now(year: int, period: str, province: str, names) -> dict[str, str]:
    """The fingerprints `names` (Report.compared_fingerprints) of what the document of `year`,
    `period` and `province` would say if it were built now: gathered once, in the portal's
    language, as the worker does."""
    from .files import content
    from .files.fingerprint import figures_fingerprint, fingerprint

    with translation.override(settings.LANGUAGE_CODE):
        gathered = content.gather(year, lambda percent: None, period=period, province=province)
        now = {}
        for name in names:
            if name == "content":
                now[name] = fingerprint(gathered)
            else:
                now[name] = figures_fingerprint(gathered, name.removeprefix("figures:"))
        return now


def content_sha256_now(report) -> str:
    """The fingerprint of what `report`'s document would say now (`Report.content_sha256`)."""
    return fingerprints_now(report.year, report.period, report.province, ["content"])["content"]


def mark_stale(reports) -> None:
    """Set `stale` on each of `reports` for the pages (`Report.staleness`: what changed since
    the draft was built; never an issued document). Each document's content is gathered at most
    once, and not at all while the cache holds its fingerprints (see the module)."""
    wanted: dict[tuple, set[str]] = {}
    for report in reports:
        if names := report.compared_fingerprints:
            wanted.setdefault((report.year, report.period, report.province), set()).update(names)
    if not wanted:
        return
    now = _cached_fingerprints(wanted)
    for report in reports:
        key = (report.year, report.period, report.province)
        report.stale = report.staleness(now.get(key, {}))


def _cached_fingerprints(wanted: dict[tuple, set[str]]) -> dict[tuple, dict[str, str]]:
    token = current_token()
    if token is None:  # this transaction wrote data: nothing is read from or kept in the cache
        return {key: fingerprints_now(*key, sorted(names)) for key, names in wanted.items()}
    prefix = f"{cache_prefix()}:{token}:report-fingerprint:{_inputs_stamp()}"
    keys = {
        (key, name): f"{prefix}:{key[0]}:{key[1]}:{key[2]}:{name}"
        for key, names in wanted.items()
        for name in names
    }
    found = cache.get_many(list(keys.values()))
    now: dict[tuple, dict[str, str]] = {}
    fresh = {}
    for key, names in wanted.items():
        missing = sorted(name for name in names if keys[key, name] not in found)
        now[key] = {name: found[keys[key, name]] for name in names if name not in missing}
        if missing:
            computed = fingerprints_now(*key, missing)
            now[key].update(computed)
            fresh.update({keys[key, name]: value for name, value in computed.items()})
    if fresh:
        cache.set_many(fresh, timeout=settings.DATA_CACHE_SECONDS)
    return now


def _inputs_stamp() -> str:
    """A digest of what a document reads besides the data the data version follows
    (`UNWATCHED`, whole rows), of the day and of `SETTINGS`: one query per table."""
    from django.apps import apps

    digest = hashlib.sha256()
    digest.update(timezone.localdate().isoformat().encode())
    digest.update(repr([getattr(settings, name, None) for name in SETTINGS]).encode())
    for label in UNWATCHED:
        model = apps.get_model(label)
        columns = [field.attname for field in model._meta.concrete_fields]
        rows = model._base_manager.order_by("pk").values_list(*columns)
        digest.update(repr(list(rows)).encode())
    return digest.hexdigest()[:32]
