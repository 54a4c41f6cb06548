"""The savings cap seen from the baseline, in one place, two rules:

- the same year: the pursued options (Option.is_pursued) of all a facility's assessments that
  take the same baseline year cannot together save more of a quantity a year than the facility's
  approved annual report of that year says it used;
- the facility: the pursued options of ALL a facility's assessments whose baseline year has an
  approved annual report cannot together save more of a quantity a year than the LARGEST figure
  of it among those reports (savings made one after another show in the later baselines; the
  largest is what the facility can save in all). Assessments of different baseline years are
  added up by the annual physical results all the same.

A quantity a report leaves empty (or 0) was not used: no option can save any of it. Without an
approved report of the baseline year (or without a baseline year) an assessment is in neither
rule: nothing caps the options of a draft; the report is held to them when it is approved. An
assessment is not approved so (`unanchored_saving_errors`, Assessment.approval_errors): its
savings would count in the year's figures with nothing to hold them to. Where both rules refuse
a quantity, the same-year rule's message alone is given.

Checked from the option (Option._saving_errors, `cap_errors`), from the assessment's baseline
year (Assessment.option_saving_errors), over whole facilities at once (`stored_cap_errors`,
manage.py check_savings_cap) and from the report (AnnualReport.baseline_use_errors, the import:
`baseline_use_errors`); the two rules seen from an assessment are `group_cap_errors`, on data
fetched once (`cap_group` for one assessment). The writers lock all the facility's assessments
(`lock_cap_group`, pk order) before checking."""

from decimal import Decimal

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.numbers import format_amount

# Option saving field -> the AnnualReport field of the same quantity and unit: a year's saving
# cannot exceed what the facility used in its assessment's baseline year.
BASELINE_CONSUMPTION = {
    "electricity_saving_kwh": "electricity_kwh",
    "coal_saving_t": "coal_t",
    "diesel_saving_l": "diesel_l",
    "fuel_oil_saving_t": "fuel_oil_t",
    "lpg_saving_t": "lpg_t",
    "natural_gas_saving_1000m3": "natural_gas_1000m3",
    "water_saving_m3": "water_m3",
}


def baseline_use(baseline, name: str) -> Decimal | None:
    """What `baseline` (an approved annual report; None: no cap) says the facility used of the
    quantity of option field `name`: 0 when it leaves it empty; None without a baseline."""
    if baseline is None:
        return None
    return getattr(baseline, BASELINE_CONSUMPTION[name]) or Decimal(0)


def exceeded_uses(baseline, totals: dict):
    """The one comparison of the savings cap: (option field, total, used) for each quantity of
    `totals` (BASELINE_CONSUMPTION field -> summed saving) more than `baseline` gives
    (`baseline_use`: an empty or 0 figure is 0 used; no baseline, no cap)."""
    if baseline is None:
        return
    for name, total in totals.items():
        used = baseline_use(baseline, name)
        if total and total > used:
            yield name, total, used


def pursued(options):
    """The options of the queryset `options` still pursued (Option.is_pursued)."""
    from .assessment import Option

    return options.exclude(screening=Option.Screening.REJECT).exclude(status=Option.Status.DROPPED)


def summed_savings(options) -> dict:
    """The savings of the pursued `options` (is_pursued), summed per quantity bounded by the
    baseline year's use (BASELINE_CONSUMPTION)."""
    totals = dict.fromkeys(BASELINE_CONSUMPTION, Decimal(0))
    for option in options:
        if option.is_pursued():
            for name in totals:
                totals[name] += getattr(option, name) or 0
    return totals


def cap_group(assessment) -> tuple[list, dict]:
    """Who shares a savings cap with `assessment` (as it is now, maybe unsaved): the facility's
    other assessments with a baseline year, `with_savings()`, and year -> the facility's
    approved report of each of their baseline years. Two queries."""
    from .assessment import Assessment

    others = Assessment.objects.filter(
        facility_id=assessment.facility_id, baseline_year__isnull=False
    )
    if assessment.pk:
        others = others.exclude(pk=assessment.pk)
    others = list(others.with_savings())
    approved = approved_baselines([assessment.facility_id], others)
    return others, {year: report for (_facility, year), report in approved.items()}


def _saved(assessment, name: str):
    return getattr(assessment, f"saved_{name}")


def total_saving_errors(baseline, totals: dict, sharing: dict | None = None) -> dict:
    """The one cap on options together, seen from an assessment: per quantity of `totals` (the
    summed savings of its pursued options and of those of the facility's other assessments with
    the same baseline year, BASELINE_CONSUMPTION field -> amount), an error when it is more than
    the facility used in `baseline` (`exceeded_uses`). `sharing`: per quantity, how many other
    assessments' options are in the total (named in the message)."""
    from .assessment import Option

    errors = {}
    for name, total, used in exceeded_uses(baseline, totals):
        names = {
            "field": Option._meta.get_field(name).verbose_name,
            "total": format_amount(total),
            "year": baseline.year,
            "used": format_amount(used),
        }
        count = (sharing or {}).get(name)
        if count:
            errors[name] = ngettext(
                "Tổng %(field)s của các giải pháp trong đánh giá này và %(count)s đánh giá khác "
                "của cơ sở cùng năm cơ sở %(year)s là %(total)s, vượt quá lượng cơ sở đã dùng "
                "trong năm cơ sở %(year)s (%(used)s theo báo cáo năm đã duyệt).",
                "Tổng %(field)s của các giải pháp trong đánh giá này và %(count)s đánh giá khác "
                "của cơ sở cùng năm cơ sở %(year)s là %(total)s, vượt quá lượng cơ sở đã dùng "
                "trong năm cơ sở %(year)s (%(used)s theo báo cáo năm đã duyệt).",
                count,
            ) % {**names, "count": count}
            continue
        errors[name] = (
            _(
                "Tổng %(field)s của các giải pháp trong đánh giá này là %(total)s, vượt quá "
                "lượng cơ sở đã dùng trong năm cơ sở %(year)s (%(used)s theo báo cáo năm đã "
                "duyệt)."
            )
            % names
        )
    return errors


def cap_errors(assessment, baseline, own: dict) -> dict:
    """Both rules seen from `assessment` (as it is now, maybe unsaved) whose baseline year has
    the approved report `baseline` (None: no cap), over `own` (BASELINE_CONSUMPTION field ->
    the savings of its pursued options as they would be): `group_cap_errors` with the stored
    `cap_group`. The one check of a set of options."""
    own = {name: total for name, total in own.items() if total}
    if baseline is None or not own:
        return {}
    return group_cap_errors(baseline, own, *cap_group(assessment))


def group_cap_errors(baseline, own: dict, others, reports: dict) -> dict:
    """The one home of both rules, on data at hand: per quantity of `own` (the savings of an
    assessment's pursued options, BASELINE_CONSUMPTION field -> amount, none 0) whose baseline
    year has the approved report `baseline`, an error when they save too much with the options
    of `others` (the facility's other assessments with a baseline year, `with_savings()`) of
    the same baseline year (`total_saving_errors`), else with those of all of `others` under an
    approved baseline (`reports`: year -> the facility's approved reports,
    `facility_group_errors`)."""
    totals, sharing = dict(own), {}
    for other in others:
        if other.baseline_year != baseline.year:
            continue
        for name in own:
            if _saved(other, name):
                totals[name] += _saved(other, name)
                sharing[name] = sharing.get(name, 0) + 1
    errors = total_saving_errors(baseline, totals, sharing)
    for name, message in facility_group_errors(baseline, own, others, reports).items():
        errors.setdefault(name, message)
    return errors


def stored_cap_errors(assessments, approved: dict) -> dict:
    """Both rules over the stored data of whole facilities, with no query: `assessments`: all
    the assessments with a baseline year of some facilities, `with_savings()`; `approved`:
    (facility id, year) -> their approved reports of those years (`approved_baselines`). Per
    assessment whose pursued options save too much (as Assessment.option_saving_errors), its
    errors (`group_cap_errors`), in the order of `assessments`."""
    assessments = list(assessments)
    by_facility, reports = {}, {}
    for assessment in assessments:
        by_facility.setdefault(assessment.facility_id, []).append(assessment)
    for (facility_id, year), report in approved.items():
        reports.setdefault(facility_id, {})[year] = report
    found = {}
    for assessment in assessments:
        baseline = approved.get((assessment.facility_id, assessment.baseline_year))
        own = {name: _saved(assessment, name) for name in BASELINE_CONSUMPTION}
        own = {name: total for name, total in own.items() if total}
        if baseline is None or not own:
            continue
        others = [a for a in by_facility[assessment.facility_id] if a.pk != assessment.pk]
        facility_reports = reports[assessment.facility_id]
        if errors := group_cap_errors(baseline, own, others, facility_reports):
            found[assessment] = errors
    return found


def largest_uses(reports) -> dict:
    """Per quantity of BASELINE_CONSUMPTION, the largest use (`baseline_use`) among the approved
    `reports` and its year (the earliest of equal ones): (used, year)."""
    largest = {}
    for report in sorted(reports, key=lambda report: report.year):
        for name in BASELINE_CONSUMPTION:
            used = baseline_use(report, name)
            if name not in largest or used > largest[name][0]:
                largest[name] = (used, report.year)
    return largest


def facility_saving_errors(assessment, baseline, own: dict, names=None) -> dict:
    """The facility rule seen from `assessment` as it would be (`baseline`: the approved report
    of its baseline year, None when it has none: it then leaves the group), with the stored
    `cap_group` (`facility_group_errors`)."""
    names = [name for name in (names or own) if name in BASELINE_CONSUMPTION]
    if not names:
        return {}
    return facility_group_errors(baseline, own, *cap_group(assessment), names)


def facility_group_errors(baseline, own: dict, others, reports: dict, names=None) -> dict:
    """The facility rule on data at hand: per quantity of `names` (default: those `own` saves;
    `own`: the savings of an assessment's pursued options; `baseline`: the approved report of
    its baseline year, None: it leaves the group), an error when they and the pursued options
    of `others` (the facility's other assessments with a baseline year, `with_savings()`) whose
    baseline year has an approved report (`reports`: year -> report) save more a year than the
    largest figure among those reports (`largest_uses`); the message names how many
    assessments save it and their baseline years."""
    from .assessment import Option

    names = [name for name in (names or own) if name in BASELINE_CONSUMPTION]
    years = {other.baseline_year for other in others}
    reports = {year: report for year, report in reports.items() if year in years}
    if baseline is not None:
        reports[baseline.year] = baseline
    if not names or not reports:
        return {}
    group = [other for other in others if other.baseline_year in reports]
    largest = largest_uses(reports.values())
    errors = {}
    for name in names:
        saving = [other for other in group if _saved(other, name)]
        own_total = (own.get(name) or 0) if baseline is not None else 0
        total = own_total + sum(_saved(other, name) for other in saving)
        used, year = largest[name]
        if total <= used:
            continue
        saving_years = {other.baseline_year for other in saving}
        if own_total:
            saving_years.add(baseline.year)
        count = len(saving) + (1 if own_total else 0)
        errors[name] = _facility_message(
            ngettext(
                "Tổng %(field)s của các giải pháp trong %(count)s đánh giá của cơ sở (năm cơ sở "
                "%(years)s) là %(total)s, vượt quá lượng lớn nhất cơ sở đã dùng trong các năm "
                "cơ sở của các đánh giá (%(used)s năm %(year)s theo báo cáo năm đã duyệt).",
                "Tổng %(field)s của các giải pháp trong %(count)s đánh giá của cơ sở (năm cơ sở "
                "%(years)s) là %(total)s, vượt quá lượng lớn nhất cơ sở đã dùng trong các năm "
                "cơ sở của các đánh giá (%(used)s năm %(year)s theo báo cáo năm đã duyệt).",
                count,
            ),
            field=Option._meta.get_field(name).verbose_name,
            count=count,
            years=saving_years,
            total=total,
            used=used,
            year=year,
        )
    return errors


def _facility_message(message: str, *, years, total, used, **names) -> str:
    return message % {
        **names,
        "years": ", ".join(str(year) for year in sorted(years)),
        "total": format_amount(total),
        "used": format_amount(used),
    }


def no_use_error(label, baseline, name: str) -> str:
    """An option's saving (`label`, its field's name) of a quantity `baseline` does not give."""
    from .annual_report import AnnualReport

    quantity = AnnualReport._meta.get_field(BASELINE_CONSUMPTION[name]).verbose_name
    return _(
        "%(field)s phải để trống hoặc bằng 0: báo cáo năm %(year)s đã duyệt của cơ sở (năm cơ sở "
        "của đánh giá) không ghi lượng %(quantity)s đã dùng. Nếu cơ sở có dùng, hãy sửa báo cáo "
        "năm %(year)s trước (cán bộ Sở mở lại báo cáo đã duyệt), rồi mới nhập giải pháp."
    ) % {"field": label, "year": baseline.year, "quantity": quantity}


def baseline_use_errors(report, assessments, approved: dict, before=None) -> dict[str, list[str]]:
    """The cap seen from the report: per AnnualReport field, an error when `report` (as it would
    be approved) gives less of a quantity than the pursued options of the facility's
    assessments with its year as baseline year save together (`same_year_use_errors`), else
    when with it the largest figure of the facility's approved baseline-year reports falls
    below what the options of all those assessments save (`facility_use_errors`).
    `assessments`: all the facility's assessments with a baseline year, `with_savings()`;
    `approved`: year -> the facility's approved report of that year (the stored ones, those a
    file writes in their place), `report` taking the place of its year's. `before`: the
    approved version `report` replaces; a figure that does not fall is not checked again."""
    assessments = list(assessments)
    of_year = [a for a in assessments if a.baseline_year == report.year]
    errors = same_year_use_errors(report, of_year, before)
    for field, messages in facility_use_errors(report, assessments, approved, before).items():
        errors.setdefault(field, messages)
    return errors


def facility_use_errors(report, assessments, approved: dict, before=None) -> dict[str, list[str]]:
    """The facility rule seen from the report (`baseline_use_errors`): nothing when no
    assessment takes its year as baseline year."""
    from .annual_report import AnnualReport

    years = {assessment.baseline_year for assessment in assessments}
    if report.year not in years:
        return {}
    reports = {year: other for year, other in approved.items() if year in years}
    reports[report.year] = report
    group = [assessment for assessment in assessments if assessment.baseline_year in reports]
    largest = largest_uses(reports.values())
    errors = {}
    for name, field in BASELINE_CONSUMPTION.items():
        saving = [assessment for assessment in group if getattr(assessment, f"saved_{name}")]
        total = sum((getattr(assessment, f"saved_{name}") for assessment in saving), Decimal(0))
        largest_used, largest_year = largest[name]
        used = baseline_use(report, name)
        if total <= largest_used or (
            before is not None and used >= (getattr(before, field, None) or 0)
        ):
            continue
        message = ngettext(
            "%(field)s năm %(report_year)s là %(report_used)s: khi đó lượng lớn nhất cơ sở đã "
            "dùng trong các năm cơ sở của các đánh giá là %(used)s (năm %(year)s), thấp hơn "
            "tổng tiết kiệm hằng năm (%(total)s) của các giải pháp trong %(count)s đánh giá "
            "của cơ sở (năm cơ sở %(years)s). Hãy sửa hoặc bỏ bớt các giải pháp của các đánh "
            "giá đó trước.",
            "%(field)s năm %(report_year)s là %(report_used)s: khi đó lượng lớn nhất cơ sở đã "
            "dùng trong các năm cơ sở của các đánh giá là %(used)s (năm %(year)s), thấp hơn "
            "tổng tiết kiệm hằng năm (%(total)s) của các giải pháp trong %(count)s đánh giá "
            "của cơ sở (năm cơ sở %(years)s). Hãy sửa hoặc bỏ bớt các giải pháp của các đánh "
            "giá đó trước.",
            len(saving),
        )
        errors[field] = [
            _facility_message(
                message,
                field=capfirst(AnnualReport._meta.get_field(field).verbose_name),
                report_year=report.year,
                report_used=format_amount(used),
                count=len(saving),
                years={assessment.baseline_year for assessment in saving},
                total=total,
                used=largest_used,
                year=largest_year,
            )
        ]
    return errors


def approved_baselines(facility_ids, assessments, besides=None) -> dict:
    """(facility id, year) -> the stored approved annual report of each of `facility_ids` for
    the baseline years of `assessments` (theirs), `besides` (a report's pk) left out."""
    from .annual_report import AnnualReport

    years = {assessment.baseline_year for assessment in assessments}
    found = AnnualReport.objects.approved().filter(facility_id__in=facility_ids, year__in=years)
    if besides:
        found = found.exclude(pk=besides)
    return {(report.facility_id, report.year): report for report in found}


def same_year_use_errors(report, assessments, before=None) -> dict[str, list[str]]:
    """The same-year rule seen from the report: per AnnualReport field, an error when `report`
    (as it would be approved) gives less of a quantity than the pursued options of
    `assessments` (the facility's assessments with the report's year as baseline year,
    `with_savings()`) save together (`exceeded_uses`). `before`: the approved version `report`
    replaces; a figure that already capped the options there and does not fall is not checked
    again (stored before the cap, it is corrected through the options)."""
    from .annual_report import AnnualReport

    assessments = list(assessments)
    totals = {
        name: sum((getattr(a, f"saved_{name}") or 0 for a in assessments), Decimal(0))
        for name in BASELINE_CONSUMPTION
    }
    errors = {}
    for name, total, used in exceeded_uses(report, totals):
        field = BASELINE_CONSUMPTION[name]
        if before is not None and used >= (getattr(before, field, None) or 0):
            continue
        saving = [a for a in assessments if getattr(a, f"saved_{name}")]
        names = {
            "field": capfirst(AnnualReport._meta.get_field(field).verbose_name),
            "year": report.year,
            "used": format_amount(used),
            "total": format_amount(total),
        }
        if len(saving) == 1:
            message = _(
                "%(field)s năm %(year)s là %(used)s, thấp hơn tổng tiết kiệm hằng năm (%(total)s) "
                "của các giải pháp trong đánh giá “%(assessment)s” lấy năm này làm năm cơ sở. "
                "Hãy sửa hoặc bỏ bớt các giải pháp của đánh giá đó trước."
            ) % {**names, "assessment": saving[0]}
        else:
            message = _(
                "%(field)s năm %(year)s là %(used)s, thấp hơn tổng tiết kiệm hằng năm (%(total)s) "
                "của các giải pháp trong %(count)s đánh giá lấy năm này làm năm cơ sở: "
                "%(assessments)s. Hãy sửa hoặc bỏ bớt các giải pháp của các đánh giá đó trước."
            ) % {**names, "count": len(saving), "assessments": ", ".join(map(_named, saving))}
        errors[field] = [message]
    return errors


def _named(assessment) -> str:
    if not assessment.start_date:
        return f"“{assessment}”"
    return _("“%(assessment)s” (bắt đầu %(date)s)") % {
        "assessment": assessment,
        "date": date_format(assessment.start_date, "d/m/Y"),
    }


def unanchored_saving_errors(assessment, options=None) -> list[str]:
    """The approval rule of the cap: why `assessment` cannot be approved as it is, when its
    pursued `options` (default: the stored ones) save some quantity of BASELINE_CONSUMPTION and
    it has no baseline year, or no approved annual report of that year to cap them (only
    approved data counts: its savings would enter the year's physical results unchecked). The
    options named; empty when approval may go on."""
    from .assessment import Option

    if options is None:
        options = Option.objects.filter(assessment_id=assessment.pk) if assessment.pk else []
    saving = [
        option
        for option in options
        if option.is_pursued() and any(getattr(option, name) for name in BASELINE_CONSUMPTION)
    ]
    if not saving or assessment.baseline_report() is not None:
        return []
    names = {"options": ", ".join(f"“{option.description}”" for option in saving)}
    if not assessment.baseline_year:
        return [
            ngettext(
                "Chưa thể duyệt: giải pháp %(options)s có lượng tiết kiệm (điện, nhiên liệu, "
                "nước) nhưng đánh giá chưa có năm cơ sở để đối chiếu với lượng cơ sở đã dùng. "
                "Hãy nhập năm cơ sở có báo cáo năm đã duyệt.",
                "Chưa thể duyệt: các giải pháp %(options)s có lượng tiết kiệm (điện, nhiên "
                "liệu, nước) nhưng đánh giá chưa có năm cơ sở để đối chiếu với lượng cơ sở đã "
                "dùng. Hãy nhập năm cơ sở có báo cáo năm đã duyệt.",
                len(saving),
            )
            % names
        ]
    return [
        ngettext(
            "Chưa thể duyệt: giải pháp %(options)s có lượng tiết kiệm (điện, nhiên liệu, nước) "
            "nhưng năm cơ sở %(year)s chưa có báo cáo năm đã duyệt để đối chiếu. Hãy nhập hoặc "
            "duyệt báo cáo năm %(year)s của cơ sở trước.",
            "Chưa thể duyệt: các giải pháp %(options)s có lượng tiết kiệm (điện, nhiên liệu, "
            "nước) nhưng năm cơ sở %(year)s chưa có báo cáo năm đã duyệt để đối chiếu. Hãy nhập "
            "hoặc duyệt báo cáo năm %(year)s của cơ sở trước.",
            len(saving),
        )
        % {**names, "year": assessment.baseline_year}
    ]


def lock_cap_group(assessment_pk: int, *facility_ids):
    """Lock until the transaction ends the assessment `assessment_pk` and those sharing a savings
    cap with it: all the assessments of its stored facility (the facility rule holds them
    together, whatever their baseline years) and of each of `facility_ids` (one it moves to). In
    pk order, as the report side and the import lock them, so two writers never wait on each
    other. Returns the assessment as stored."""
    from .assessment import Assessment

    current = None
    for _attempt in range(2):  # its own row locked, the second look finds the same facility
        stored = Assessment.objects.values_list("facility_id", flat=True).get(pk=assessment_pk)
        wanted = Q(pk=assessment_pk) | Q(facility_id__in={stored, *facility_ids} - {None})
        rows = Assessment.objects.filter(wanted).order_by("pk").select_for_update()
        current = next(row for row in rows if row.pk == assessment_pk)
        if current.facility_id == stored:
            break
    return current
