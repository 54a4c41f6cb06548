"""The data-quality rules of annual reports (DESIGN §4 "Data-quality rules"): one engine for the
report forms, the services, the imports and the run over existing data.

    check_report(report, context=None) -> [Finding]            # one report (a form, a service)
    check_reports(reports, overlay=...) -> [[Finding], ...]    # many, in a few queries
    store_findings({report_id: [Finding]})                     # the QualityFinding table
    refresh_facilities(facility_ids)                           # every report of theirs again

The rules (assessments.models.QualityRule, seeded from quality_rules.DEFAULT_RULES) say the
severity, the thresholds and whether they run. What they compare with:

- the **baseline**: the facility's earliest approved report of an earlier year (DESIGN §4);
- the **previous year**: the facility's latest approved report of an earlier year that gives
  the figure compared (an energy intensity in the report's product unit; an employee count): a
  year without it is passed over; for a report earlier than all of them (INTENSITY_JUMP), the
  **next year**: the earliest of a later year that gives it;
- the **band**: p-low … p-high (linear interpolation between closest ranks, as PostgreSQL's
  `percentile_cont`) of the energy intensity of the approved reports of the same year, VSIC
  division and product unit (`energy.unit_key`) with output > 0 and energy > 0, when at least
  `min_facilities` facilities give one — never fewer than the benchmark's MIN_PEERS nor
  percentiles beyond 5–95, which would tell a peer's own figure (`QualityRule.band_settings`).

`QualityContext.load` reads all of that for a batch of reports in a few queries (chunked for
large imports), never one per report. With `overlay=True` (an import, whose rows are all approved
once imported) the batch's reports count as approved: a file's 2016 row is the baseline of its
2017 row, and a row replaces the stored report of its facility and year.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Substr
from django.utils import timezone, translation

from core.data_version import cached_committed
from core.spreadsheets import LOOKUP_CHUNK
from facilities.models import Facility

from . import quality_rules as codes
from .energy import toe_sql, unit_key, unit_key_sql
from .factors import toe_factors
from .models import SEVERITY_LABELS, AnnualReport, QualityFinding, QualityRule, Severity
from .quality_messages import message_params, render_message

HUNDRED = Decimal(100)
SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Finding:
    rule: str  # QualityRule.code
    severity: str  # Severity
    field: str  # the report field (and import column) it is about
    message: str  # in the language active when it was checked

    name: str = ""  # the rule's name
    # What renders the message in any language (QualityFinding.params): {"key": .., "args": ..}.
    params: dict = field(default_factory=dict, compare=False)

    @property
    def display_message(self) -> str:
        return render_message(self.params) or self.message

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS.get(self.severity, self.severity)

    @property
    def rule_name(self) -> str:
        return self.name

    @property
    def is_warning(self) -> bool:
        return self.severity == Severity.WARNING


@dataclass(frozen=True)
class Facts:
    """What the rules read of a report of another year (or of a peer)."""

    year: int
    output: Decimal | None
    toe: Decimal
    unit: str  # unit_key
    employees: int | None

    @property
    def intensity(self) -> Decimal | None:
        if self.output and self.output > 0 and self.toe > 0:
            return self.toe / self.output
        return None


@dataclass(frozen=True)
class Band:
    low: Decimal
    high: Decimal
    peers: int


@dataclass
class QualityContext:
    rules: dict[str, QualityRule]  # the enabled rules by code
    toe: dict[str, Decimal]  # ConversionFactor.carrier -> TOE per unit
    history: dict[int, dict[int, Facts]] = field(default_factory=dict)  # facility -> year -> ..
    facilities: dict[int, tuple[str, bool]] = field(default_factory=dict)  # division, key user
    bands: dict[tuple[int, str, str], Band] = field(default_factory=dict)

    @classmethod
    def load(
        cls, reports, *, overlay: bool = False, rules=None, toe=None, bands=None
    ) -> "QualityContext":
        """Everything the rules need to check `reports` (a list), in a few queries. `rules`,
        `toe` and `bands` may be passed in by a caller that checks many batches."""
        if rules is None:
            rules = {r.code: r for r in QualityRule.objects.filter(enabled=True)}
        context = cls(rules=rules, toe=toe if toe is not None else toe_factors())
        if not reports or not rules:
            return context
        facility_ids = sorted({r.facility_id for r in reports})
        context.facilities = _facility_facts(facility_ids)
        context.history = _approved_history(facility_ids, context.toe)
        if overlay:
            for report in reports:
                facts = context.facts_of(report)
                context.history.setdefault(report.facility_id, {})[report.year] = facts
        if bands is not None:
            context.bands = bands
        elif codes.INTENSITY_OUT_OF_BAND in rules:
            years = sorted({r.year for r in reports})
            extra = reports if overlay else ()
            rule = rules[codes.INTENSITY_OUT_OF_BAND]
            divisions = {division for division, _key_user in context.facilities.values()}
            context.bands = load_bands(
                years, rule, context.toe, extra, context.facilities, divisions=divisions
            )
        return context

    def facts_of(self, report: AnnualReport) -> Facts:
        return facts_of(report, self.toe)

    def earlier(self, report) -> list[Facts]:
        """The facility's approved reports of earlier years, oldest first."""
        years = self.history.get(report.facility_id, {})
        return [years[y] for y in sorted(years) if y < report.year]

    def later(self, report) -> list[Facts]:
        """The facility's approved reports of later years, oldest first (`history` holds every
        approved year of the batch's facilities: no further query)."""
        years = self.history.get(report.facility_id, {})
        return [years[y] for y in sorted(years) if y > report.year]


def facts_of(report: AnnualReport, toe: dict) -> Facts:
    return Facts(
        year=report.year,
        output=report.output,
        toe=report.total_toe(toe),
        unit=unit_key(report.product_unit),
        employees=report.employees,
    )


def _facility_facts(facility_ids: list[int]) -> dict[int, tuple[str, bool]]:
    found = {}
    for start in range(0, len(facility_ids), LOOKUP_CHUNK):
        chunk = facility_ids[start : start + LOOKUP_CHUNK]
        rows = Facility.objects.filter(pk__in=chunk).values_list(
            "pk", "industry__code", "key_energy_user"
        )
        for pk, code, key_user in rows:
            division = code[:2] if code and code[:1].isdigit() else ""
            found[pk] = (division, key_user)
    return found


def _approved_history(facility_ids: list[int], toe: dict) -> dict[int, dict[int, Facts]]:
    history: dict[int, dict[int, Facts]] = defaultdict(dict)
    for start in range(0, len(facility_ids), LOOKUP_CHUNK):
        chunk = facility_ids[start : start + LOOKUP_CHUNK]
        rows = (
            AnnualReport.objects.approved()
            .filter(facility_id__in=chunk)
            .annotate(toe=toe_sql(toe), unit=unit_key_sql())
            .values_list("facility_id", "year", "output", "toe", "unit", "employees")
        )
        for facility_id, year, output, total, unit, employees in rows:
            history[facility_id][year] = Facts(year, output, total or Decimal(0), unit, employees)
    return dict(history)


def percentile(values: list[Decimal], pct: Decimal) -> Decimal:
    """Linear interpolation between closest ranks (PostgreSQL percentile_cont); values sorted."""
    position = (Decimal(pct) / HUNDRED) * (len(values) - 1)
    lower = int(position)
    fraction = position - lower
    if lower + 1 >= len(values):
        return values[-1]
    return values[lower] + (values[lower + 1] - values[lower]) * fraction


def load_bands(
    years, rule: QualityRule, toe: dict, extra=(), facilities=None, divisions=None
) -> dict:
    """(year, division, unit) -> Band of the approved reports of `years` (one query), `extra`
    reports counting as approved (an import's rows; `facilities` as QualityContext.facilities
    has them, else they are read). `divisions`: only the bands of these VSIC divisions are
    needed (checking a few reports), so only their reports are read — not every report of the
    year in the registry. Without `extra`, cached until approved data (or the factors) change:
    every save of a report checks it against its peers' bands (`cached_committed`: a save's own
    draft is not among its approved peers)."""
    if not extra:
        minimum, low, high = rule.band_settings
        scope = (
            f"{sorted(years)}:{sorted(divisions) if divisions is not None else '*'}"
            f":{minimum}:{low}:{high}:{sorted(toe.items())}"
        )
        name = "quality-bands:" + hashlib.sha256(scope.encode()).hexdigest()
        return cached_committed(name, lambda: _bands(years, rule, toe, (), facilities, divisions))
    return _bands(years, rule, toe, extra, facilities, divisions)


def _bands(years, rule: QualityRule, toe: dict, extra, facilities, divisions) -> dict:
    rows = (
        AnnualReport.objects.approved()
        .filter(year__in=list(years), output__gt=0)
        .annotate(
            toe=toe_sql(toe),
            unit=unit_key_sql(),
            division=Substr(F("facility__industry__code"), 1, 2),
        )
        .filter(toe__gt=0)
    )
    if divisions is not None:
        rows = rows.filter(division__in=sorted(divisions))
    rows = rows.values_list("facility_id", "year", "division", "unit", "output", "toe")
    intensities = {}
    for facility_id, year, division, unit, output, total in rows.iterator(chunk_size=5000):
        intensities[(facility_id, year)] = (year, division or "", unit, total / output)
    facilities = {} if facilities is None else facilities
    if extra:
        missing = sorted({r.facility_id for r in extra} - set(facilities))
        facilities.update(_facility_facts(missing))
    for report in extra:
        facts = facts_of(report, toe)
        division = facilities.get(report.facility_id, ("", False))[0]
        value = facts.intensity
        key = (report.facility_id, report.year)
        if value is None:
            intensities.pop(key, None)
        else:
            intensities[key] = (report.year, division, facts.unit, value)
    groups = defaultdict(list)
    for year, division, unit, value in intensities.values():
        if division:
            groups[(year, division, unit)].append(value)
    minimum, low, high = rule.band_settings  # never fewer peers than the privacy floor
    bands = {}
    for key, values in groups.items():
        if len(values) >= minimum:
            values.sort()
            bands[key] = Band(percentile(values, low), percentile(values, high), len(values))
    return bands


# --- the rules --------------------------------------------------------------------------------
#
# Each returns None or (field, message key, args): check_report writes the message.


def _change_pct(before: Decimal, after: Decimal) -> Decimal:
    return (after - before) * HUNDRED / before


def _output_no_energy(report, facts: Facts, context, rule):
    if facts.output and facts.output > 0 and facts.toe <= 0:
        return "electricity_kwh", codes.OUTPUT_NO_ENERGY, {}
    return None


def _unit_changed(report, facts: Facts, context, rule):
    if not facts.output or facts.output <= 0:
        return None
    earlier = context.earlier(report)
    if not earlier:
        return None
    baseline = earlier[0]
    if baseline.unit == facts.unit:
        return None
    args = {"unit": report.product_unit.strip(), "year": baseline.year, "base": baseline.unit}
    return "product_unit", codes.UNIT_CHANGED, args


def _previous(report, context, has=None) -> Facts | None:
    """The facility's latest approved report of an earlier year; with `has`, the latest of those
    for which `has(facts)` holds (one that gives the figure compared): a year that lacks it is
    passed over, not the end of the comparison. In memory: `context` holds every approved year."""
    earlier = [facts for facts in context.earlier(report) if has is None or has(facts)]
    return earlier[-1] if earlier else None


def _next(report, context, has=None) -> Facts | None:
    """As `_previous`, the earliest approved report of a later year."""
    later = [facts for facts in context.later(report) if has is None or has(facts)]
    return later[0] if later else None


def _intensity_jump(report, facts: Facts, context, rule):
    """The change of energy intensity from the previous approved year that gives one in the
    report's product unit to the report's. A report earlier than every approved one (the
    facility's new SAVING baseline, DESIGN §4) is compared with the nearest later approved year
    that gives one instead: the change from the report to that year, as that year's report would
    have been checked had this one been approved first."""
    if rule.threshold is None or facts.intensity is None:
        return None

    def comparable(other: Facts) -> bool:
        return other.unit == facts.unit and other.intensity is not None

    if context.earlier(report):
        other = _previous(report, context, comparable)
        first, second, key = other, facts, codes.INTENSITY_JUMP
    else:
        other = _next(report, context, comparable)
        first, second, key = facts, other, codes.INTENSITY_JUMP_LATER
    if other is None:
        return None
    before, after = first.intensity, second.intensity
    change = _change_pct(before, after)
    if abs(change) <= rule.threshold:
        return None
    args = {
        "change": change,
        "year": other.year,
        "before": before,
        "after": after,
        "unit": report.product_unit.strip(),
        "threshold": rule.threshold,
    }
    if key == codes.INTENSITY_JUMP_LATER:
        args["own_year"] = report.year
    return "output", key, args


def _intensity_out_of_band(report, facts: Facts, context, rule):
    value = facts.intensity
    division = context.facilities.get(report.facility_id, ("", False))[0]
    if value is None or not division:
        return None
    band = context.bands.get((report.year, division, facts.unit))
    if band is None or band.low <= value <= band.high:
        return None
    args = {
        "value": value,
        "unit": report.product_unit.strip(),
        "low": band.low,
        "high": band.high,
        "division": division,
        "year": report.year,
        "peers": band.peers,
    }
    return "output", codes.INTENSITY_OUT_OF_BAND, args


def _key_energy_user(report, facts: Facts, context, rule):
    key_user = context.facilities.get(report.facility_id, ("", False))[1]
    if key_user or rule.threshold is None or facts.toe < rule.threshold:
        return None
    args = {"toe": facts.toe, "threshold": rule.threshold}
    return "electricity_kwh", codes.KEY_ENERGY_USER, args


def _employees_jump(report, facts: Facts, context, rule):
    """The change of the employee count from the previous approved year that gives one (a
    count above 0: a change from 0 is no percentage)."""
    if facts.employees is None or rule.threshold is None:
        return None
    previous = _previous(report, context, lambda other: bool(other.employees))
    if previous is None:
        return None
    before = previous.employees
    change = _change_pct(Decimal(before), Decimal(facts.employees))
    if abs(change) <= rule.threshold:
        return None
    args = {
        "change": change,
        "year": previous.year,
        "before": before,
        "after": facts.employees,
        "threshold": rule.threshold,
    }
    return "employees", codes.EMPLOYEES_JUMP, args


def _applies_not_aware(report, facts: Facts, context, rule):
    if report.applies_cp and not report.aware:
        return "aware", codes.APPLIES_NOT_AWARE, {}
    return None


CHECKS = {
    codes.OUTPUT_NO_ENERGY: _output_no_energy,
    codes.UNIT_CHANGED: _unit_changed,
    codes.INTENSITY_JUMP: _intensity_jump,
    codes.INTENSITY_OUT_OF_BAND: _intensity_out_of_band,
    codes.KEY_ENERGY_USER: _key_energy_user,
    codes.EMPLOYEES_JUMP: _employees_jump,
    codes.APPLIES_NOT_AWARE: _applies_not_aware,
}


def check_report(report: AnnualReport, context: QualityContext | None = None) -> list[Finding]:
    """The findings of the enabled rules on `report` (saved or not), most serious first."""
    if context is None:
        context = QualityContext.load([report])
    if report.facility_id not in context.facilities and context.rules:
        context.facilities.update(_facility_facts([report.facility_id]))
    facts = context.facts_of(report)
    findings = []
    for code, rule in context.rules.items():
        check = CHECKS.get(code)
        result = check(report, facts, context, rule) if check else None
        if result:
            field_name, key, args = result
            params = message_params(key, **args)
            findings.append(
                Finding(
                    code,
                    rule.severity,
                    field_name,
                    render_message(params),
                    rule.display_name,
                    params,
                )
            )
    findings.sort(key=lambda f: SEVERITY_RANK.get(f.severity, 9))
    return findings


def check_reports(reports, *, overlay: bool = False, **load) -> list[list[Finding]]:
    """`check_report` of each of `reports`, the context loaded once for all of them."""
    reports = list(reports)
    context = QualityContext.load(reports, overlay=overlay, **load)
    return [check_report(report, context) for report in reports]


def errors(findings) -> list[Finding]:
    return [f for f in findings if f.is_error]


def warnings(findings) -> list[Finding]:
    return [f for f in findings if f.is_warning]


# --- stored findings --------------------------------------------------------------------------


def store_findings(results: dict[int, list[Finding]]) -> int:
    """Make the open QualityFindings of the reports in `results` (report id -> findings) what
    was just found: new ones created, still-found ones updated, the others resolved. Returns the
    number of open findings of these reports. Each keeps its `params`, from which pages write it
    in the reader's language, and its `message` in the portal's language (exports, the admin),
    whatever language the findings were checked in."""
    if not results:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        return _store_findings(results)


def _stored_message(finding: Finding) -> str:
    return render_message(finding.params) or finding.message


def _store_findings(results: dict[int, list[Finding]]) -> int:
    rules = dict(QualityRule.objects.values_list("code", "pk"))
    now, total = timezone.now(), 0
    ids = sorted(results)
    for start in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[start : start + LOOKUP_CHUNK]
        stored = QualityFinding.objects.open().filter(report_id__in=chunk)
        existing = {(f.report_id, f.rule_id): f for f in stored}
        create, update = [], []
        for report_id in chunk:
            for finding in results[report_id]:
                rule_id = rules[finding.rule]
                old = existing.pop((report_id, rule_id), None)
                if old is None:
                    create.append(
                        QualityFinding(
                            report_id=report_id,
                            rule_id=rule_id,
                            severity=finding.severity,
                            field=finding.field,
                            message=_stored_message(finding),
                            params=finding.params,
                        )
                    )
                    continue
                old.severity, old.field = finding.severity, finding.field
                old.message, old.params = _stored_message(finding), finding.params
                old.updated_at = now
                update.append(old)
                total += 1
        if existing:
            resolved = [f.pk for f in existing.values()]
            QualityFinding.objects.filter(pk__in=resolved).update(resolved_at=now, updated_at=now)
        if update:
            QualityFinding.objects.bulk_update(
                update, ["severity", "field", "message", "params", "updated_at"], batch_size=1000
            )
        if create:
            QualityFinding.objects.bulk_create(create, batch_size=1000)
            total += len(create)
    return total


def refresh_report(report: AnnualReport, findings: list[Finding] | None = None) -> list[Finding]:
    """Check one saved report (unless `findings` are given) and store what was found. Stored
    findings are read by staff and by other users, each in their own language (`store_findings`
    keeps what writes them in any language). The facility's other reports, which an approved
    report is compared with, are checked again when the change commits (assessments.signals:
    an approval or a reopening changes the state after this check)."""
    if findings is None:
        findings = check_report(report)
    store_findings({report.pk: findings})
    return findings


# A facility's reports are checked against one another (its baseline, its previous and next
# years) and against the facility (its VSIC division, the key-energy-user flag): a change to one
# approved report, or to the facility, can make the findings of its other reports true or false.
REFRESH_FACILITIES = 200  # facilities whose reports are checked (and stored) per transaction


def refresh_facilities(facility_ids) -> int:
    """Check every report of these facilities again and store what is found (new findings opened,
    the ones no longer found resolved, as the run over all data does); a few queries per batch
    of facilities, whatever the number of reports. Each batch locks its facilities' rows first,
    so that two refreshes of one facility do not interleave (the later one reads what the
    earlier committed), then its reports' rows, so that a save of one of them waits for it.
    Returns the number of reports checked. Called when such a change commits
    (assessments.signals)."""
    ids = sorted({int(pk) for pk in facility_ids if pk is not None})
    if not ids:
        return 0
    rules = {r.code: r for r in QualityRule.objects.filter(enabled=True)}
    toe, checked = toe_factors(), 0
    for start in range(0, len(ids), REFRESH_FACILITIES):
        chunk = ids[start : start + REFRESH_FACILITIES]
        with transaction.atomic():
            locked = Facility.objects.select_for_update(no_key=True).filter(pk__in=chunk)
            list(locked.order_by("pk").values_list("pk", flat=True))
            reports = AnnualReport.objects.filter(facility_id__in=chunk)
            # Their rows too, in id order, before any finding is written: a save of one of them
            # (services: lock(report), then its findings) and this refresh wait for each other
            # instead of each holding what the other needs (a deadlock at commit).
            reports = list(reports.select_for_update(no_key=True).order_by("pk"))
            if not reports:
                continue
            results = check_reports(reports, rules=rules, toe=toe)
            store_findings({r.pk: found for r, found in zip(reports, results, strict=True)})
        checked += len(reports)
    return checked
