"""Annual self-reports: list, review queue, detail, create/edit, the review workflow, deadlines,
who has not reported, and the import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import role_required, staff_or_official_required, staff_required
from accounts.models import Role
from core.collation import vietnamese
from core.history import combined_entries, history_for, shown_history
from core.locking import is_stale
from core.pagination import paginate
from core.spreadsheets import shown_problems, shown_warnings
from facilities import territory
from facilities.access import get_facility_for_user
from facilities.filters import ProvinceParamForm
from facilities.models import Facility

from .. import deadlines, importing, quality, services
from ..access import get_report_for_user
from ..energy import SPECIFIC_FIELDS, ReportFigures
from ..models import (
    AnnualReport,
    DeadlineException,
    ReportingDeadline,
    Severity,
    WorkflowError,
    WorkflowState,
)
from ..models.quality import open_findings_q, severities_shown_to
from ..report_forms import (
    AnnualReportForm,
    DeadlineExceptionForm,
    DeadlineForm,
    PlaceFilterForm,
    ReportImportForm,
    YearForm,
    filter_reports,
    no_year_left,
    open_report_years,
    report_years,
    with_places,
)
from .review_steps import ReviewQueue, StepPage, step_buttons, take_step

PAGE_SIZE = 25
LIST_RELATED = ("facility__commune__parent", "facility__ward", "facility__industry")


@login_required
def report_list(request):
    reports, form = filter_reports(
        request.GET,
        AnnualReport.objects.visible_to(request.user),
        registry_filters=not request.user.is_facility_user,
        province=territory.province_for(request.user),
    )
    reports = reports.select_related(*LIST_RELATED).order_by(
        "-year", vietnamese("facility__name"), "pk"
    )
    context = {"form": form, "queue": False, **paginate(request, reports, PAGE_SIZE)}
    with_places(context["page"].object_list)
    if request.user.is_facility_user:
        context["own_facilities"] = Facility.objects.visible_to(request.user).order_by(
            vietnamese("name"), "pk"
        )
    return render(request, "assessments/report_list.html", context)


def with_finding_counts(reports):
    """Each report with the number of its open data-quality findings by severity."""
    open_of = open_findings_q("quality_findings__")
    return reports.annotate(
        **{
            f"{severity}_findings": Count(
                "quality_findings", filter=Q(quality_findings__severity=severity) & open_of
            )
            for severity in Severity.values
        }
    )


def queue_reports(params, user) -> tuple:
    """(the review queue's reports with the filters in `params`, the filter form)."""
    return filter_reports(
        params,
        AnnualReport.objects.visible_to(user),
        default_state=WorkflowState.SUBMITTED,
        province=territory.province_for(user),
    )


# Staff work through the queue: see ReviewQueue.
REVIEW_QUEUE = ReviewQueue(
    "assessments:review_queue",
    queue_reports,
    order=("submitted_at", "pk"),
    next_opened=gettext_lazy("Đây là báo cáo chờ duyệt tiếp theo trong danh sách."),
)


@staff_required
def review_queue(request):
    reports, form = queue_reports(request.GET, request.user)
    reports = with_finding_counts(reports.select_related(*LIST_RELATED))
    reports = reports.order_by(*REVIEW_QUEUE.order)
    context = {"form": form, "queue": True, **paginate(request, reports, PAGE_SIZE)}
    with_places(context["page"].object_list)
    return render(request, "assessments/report_list.html", context)


def _consumption_rows(report, figures) -> list[tuple]:
    """(label, amount, amount per unit of output) of each carrier and of water."""
    rows = []
    for name in SPECIFIC_FIELDS:
        label = AnnualReport._meta.get_field(name).verbose_name
        rows.append((label, getattr(report, name), figures.specific.get(name)))
    return rows


@login_required
def report_detail(request, pk):
    report = get_report_for_user(request, pk)
    figures = ReportFigures.of(report)
    user = request.user
    deadline = deadlines.facility_deadline(report.facility, report.year)  # with its extension
    context = {
        "report": report,
        "figures": figures,
        "consumption": _consumption_rows(report, figures),
        "events": report.events.select_related("by"),
        "history": history_for(request, report),
        "editable": report.is_editable_by(user),
        **step_buttons(report, user),
        "deadline": deadline,
        "deadline_extended": deadline
        > deadlines.facility_year_deadline(report.facility, report.year),
        "submission_open": deadlines.report_submission_open(report),
        "findings": open_findings(report, user),
        "back": REVIEW_QUEUE.back_url(request),  # the review queue it was opened from
    }
    return render(request, "assessments/report_detail.html", context)


# --- create and edit ------------------------------------------------------------------------


def _save(request, form):
    """Save through the service; a facility's "save and submit" button also submits. The
    data-quality rules run first (assessments/quality.py). Errors block submission (DESIGN §4):
    a facility's draft is saved with them (work in progress is not lost) and they are shown,
    while a submission, or a staff entry (approved on saving), stays on the form with each error
    on its field; a submission with warnings needs the justification field filled in. Called
    inside a transaction, so the service saves on the findings checked here."""
    findings = quality.check_report(form.instance)
    form.quality_findings = findings
    submitting = "submit" in request.POST and not request.user.is_portal_staff
    rule_errors = quality_errors_of(findings)
    if rule_errors and (submitting or request.user.is_portal_staff):
        form.add_error(None, ValidationError(rule_errors))
        return None
    if submitting and services.missing_justification(form.instance, findings):
        form.add_error("quality_justification", services.JUSTIFICATION_REQUIRED)
        return None
    try:
        report = services.annual_report_save(
            report=form.instance, by=request.user, findings=findings
        )
    except ValidationError as error:  # a WorkflowError, or a uniqueness race lost
        form.add_error(None, error)
        return None
    if request.user.is_portal_staff:
        messages.success(request, _("Đã lưu báo cáo; báo cáo do cán bộ Sở nhập được duyệt ngay."))
        _warn_findings(request, report.checked_findings)
    elif submitting:
        _submit_saved(request, report)
    else:
        messages.success(request, _("Đã lưu báo cáo (chưa gửi Sở)."))
        _warn_findings(request, report.checked_findings)
    return redirect(report)


def quality_errors_of(findings) -> dict:
    """The rules' errors as a ValidationError dict (field -> messages); empty when none."""
    by_field = {}
    for finding in quality.errors(findings):
        by_field.setdefault(finding.field, []).append(finding.message)
    return by_field


def _warn_findings(request, findings) -> None:
    """After a save: the errors and warnings the rules found, one message each."""
    for finding in quality.errors(findings):
        messages.error(
            request,
            _("Lỗi số liệu (cần sửa trước khi gửi Sở): %(m)s") % {"m": finding.message},
        )
    for finding in findings:
        if finding.is_warning:
            messages.warning(request, _("Cảnh báo số liệu: %(m)s") % {"m": finding.message})


def _submit_saved(request, report) -> None:
    try:
        services.annual_report_submit(report=report, by=request.user)
    except WorkflowError as error:
        text = " ".join(error.messages)
        messages.warning(
            request, _("Đã lưu báo cáo nhưng chưa gửi được: %(error)s") % {"error": text}
        )
    else:
        messages.success(request, STEPS["submit"].done)


def _not_editable(request, report):
    message = _("Báo cáo ở trạng thái “%(state)s” nên không sửa hoặc gửi được.")
    messages.error(request, message % {"state": report.get_state_display()})
    return redirect(report)


@role_required(Role.STAFF, Role.FACILITY)
def report_create(request, facility_pk):
    facility = get_facility_for_user(request, facility_pk, write=True)
    if not open_report_years(facility):  # a form that could never be saved: none
        messages.info(request, no_year_left(facility))
        return redirect(facility)
    year = request.GET.get("year")  # the year of the page the link came from
    form = AnnualReportForm(request.POST or None, facility=facility, year=year)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            response = _save(request, form)
        if response:
            return response
    context = {
        "form": form,
        "facility": facility,
        "report": None,
        "findings": _shown(request, form),
    }
    return render(request, "assessments/report_form.html", context)


def _shown(request, form, report=None) -> list:
    """The findings the report form lists: those of the data just posted, else the stored ones;
    only those the user may see (`info` is for the reviewer only)."""
    findings = getattr(form, "quality_findings", None)
    if findings is not None:
        shown = severities_shown_to(request.user)
        return [finding for finding in findings if finding.severity in shown]
    return open_findings(report, request.user) if report else []


def open_findings(report, user) -> list:
    """The report's open findings that `user` may see, most serious first."""
    findings = report.quality_findings.open().shown_to(user).select_related("rule")
    return sorted(findings, key=lambda f: quality.SEVERITY_RANK.get(f.severity, 9))


@role_required(Role.STAFF, Role.FACILITY)
def report_edit(request, pk):
    report = get_report_for_user(request, pk)
    if not report.is_editable_by(request.user):
        return _not_editable(request, report)
    form = AnnualReportForm(request.POST or None, instance=report, facility=report.facility)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            stale = is_stale(form)  # locks the row until the save below is committed
            response = None if stale else _save(request, form)
        if response:
            return response
        if stale:
            messages.error(
                request,
                _(
                    "Báo cáo này vừa được người khác cập nhật trong lúc bạn đang sửa nên thay "
                    "đổi của bạn chưa được lưu. Biểu mẫu dưới đây là dữ liệu mới nhất; vui lòng "
                    "tải lại trang và nhập lại thay đổi."
                ),
            )
            report = get_report_for_user(request, pk)
            if not report.is_editable_by(request.user):
                return _not_editable(request, report)
            form = AnnualReportForm(instance=report, facility=report.facility)
    context = {
        "form": form,
        "facility": report.facility,
        "report": report,
        "findings": _shown(request, form, report),
    }
    return render(request, "assessments/report_form.html", context)


# --- workflow -----------------------------------------------------------------------------

STEPS = {
    "submit": StepPage(
        gettext_lazy("Gửi báo cáo để Sở Công Thương duyệt"),
        gettext_lazy("Đã gửi báo cáo, chờ Sở Công Thương duyệt."),
    ),
    "return": StepPage(
        gettext_lazy("Trả lại báo cáo để cơ sở sửa"),
        gettext_lazy("Đã trả lại báo cáo cho cơ sở."),
    ),
    "approve": StepPage(
        gettext_lazy("Duyệt báo cáo"),
        gettext_lazy("Đã duyệt báo cáo. Báo cáo đã bị khóa."),
    ),
    "reopen": StepPage(
        gettext_lazy("Mở lại báo cáo đã duyệt"),
        gettext_lazy("Đã mở lại báo cáo."),
        targets=(
            gettext_lazy("Đưa báo cáo về trạng thái"),
            [
                (WorkflowState.RETURNED, gettext_lazy("Trả lại để cơ sở sửa")),
                (WorkflowState.DRAFT, gettext_lazy("Nháp")),
            ],
        ),
    ),
}


# A justification answers a warning, never an error: the facility must correct the data.
ERRORS_TO_FIX = gettext_lazy("Báo cáo có lỗi số liệu; cần sửa các lỗi trước khi gửi Sở duyệt.")


def _transition(request, report, step):
    return take_step(
        request,
        report,
        step,
        page=STEPS[step],
        service=services.annual_report_step,
        template="assessments/report_transition.html",
        queue=REVIEW_QUEUE,
    )


@role_required(Role.FACILITY)
def report_submit(request, pk):
    report = get_report_for_user(request, pk)
    if not report.is_editable_by(request.user):
        return _not_editable(request, report)
    findings = quality.check_report(report)
    if quality.errors(findings):
        level, text = messages.ERROR, ERRORS_TO_FIX
    elif services.missing_justification(report, findings):
        level, text = messages.WARNING, services.JUSTIFICATION_REQUIRED
    else:
        return _transition(request, report, "submit")
    quality.refresh_report(report, findings)
    messages.add_message(request, level, text)
    return redirect("assessments:report_edit", pk=report.pk)


@login_required
def report_return(request, pk):
    return _transition(request, get_report_for_user(request, pk, review=True), "return")


@login_required
def report_approve(request, pk):
    return _transition(request, get_report_for_user(request, pk, review=True), "approve")


@login_required
def report_reopen(request, pk):
    return _transition(request, get_report_for_user(request, pk, review=True), "reopen")


# --- deadlines and missing reports ------------------------------------------------------------


def _deadline_province(user) -> str:
    """The province whose deadlines `user` reads and sets on these pages; 403 for none."""
    province = deadlines.deadline_province(user)
    if province is None:
        raise PermissionDenied
    return province


def _deadline_context(request, province, deadline_form, exception_form) -> dict:
    user = request.user
    stored = list(
        ReportingDeadline.objects.filter(province__in={province, ""}).values_list(
            "province", "year"
        )
    )
    own = {y for p, y in stored if p == province}
    years = list(report_years())
    dates = ReportingDeadline.deadlines_for(years, province)
    rows = [(y, dates[y], y in own) for y in years]
    scope = territory.province_for(user)
    exceptions = DeadlineException.objects.filter(
        facility__in=Facility.objects.visible_to(user)
    ).select_related("facility", "granted_by")
    return {
        "rows": rows,
        # A national installation's province: the years it takes the default a superuser set.
        "inherited": {y for p, y in stored if p == ""} - own if province else set(),
        "territory": None if scope is None else territory.territory_name(scope),
        "exceptions": exceptions[:100],
        "history": shown_history(request, _deadline_history(user, province)),
        "deadline_form": deadline_form,
        "exception_form": exception_form,
    }


def _deadline_history(user, province) -> list[dict]:
    """The changes of the deadlines the page lists (the province's own and the installation's)
    and of the extensions of the facilities `user` sees, newest first (core.history)."""
    deadlines_changed = combined_entries(
        ReportingDeadline.history.filter(province__in={province, ""}),
        ReportingDeadline,
        _deadline_subject(province),
        shown_on_create=("deadline",),
    )
    extensions = combined_entries(
        DeadlineException.history.filter(
            facility_id__in=Facility.objects.visible_to(user).values("pk")
        ).select_related("facility"),
        DeadlineException,
        lambda record: (
            _("Gia hạn cho %(facility)s, năm %(year)s")
            % {"facility": record.facility.name, "year": record.year}
        ),
        shown_on_create=("until", "reason"),
    )
    return sorted([*deadlines_changed, *extensions], key=lambda entry: entry["date"], reverse=True)


def _deadline_subject(province):
    """How the history names a year's deadline; in a national installation's province, the
    whole country's default (province "") is told apart."""

    def subject(record) -> str:
        name = _("Hạn nộp năm %(year)s") % {"year": record.year}
        if province and not record.province:
            name = "{} ({})".format(name, _("hạn chung của cả nước"))
        return name

    return subject


@staff_required
def deadline_list(request):
    province = _deadline_province(request.user)
    form = DeadlineForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid():
        deadline = form.save()
        messages.success(
            request,
            _("Đã đặt hạn nộp báo cáo năm %(year)s là %(date)s.")
            % {"year": deadline.year, "date": deadline.deadline.strftime("%d/%m/%Y")},
        )
        return redirect("assessments:deadline_list")
    context = _deadline_context(request, province, form, DeadlineExceptionForm())
    return render(request, "assessments/deadline_list.html", context)


@staff_required
def deadline_exception(request):
    province = _deadline_province(request.user)
    form = DeadlineExceptionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        exception = form.save(by=request.user)
        messages.success(
            request,
            _("Đã cho phép %(facility)s nộp báo cáo năm %(year)s đến ngày %(date)s.")
            % {
                "facility": exception.facility.name,
                "year": exception.year,
                "date": exception.until.strftime("%d/%m/%Y"),
            },
        )
        return redirect("assessments:deadline_list")
    context = _deadline_context(request, province, DeadlineForm(province=province), form)
    return render(request, "assessments/deadline_list.html", context)


@staff_or_official_required
def missing_reports(request):
    """Who has not reported for a year, by place. Staff chase them from here; officials and the
    Ministry read it (DESIGN §2): the list behind the dashboard's reporting rate (DESIGN §4)."""
    default_year = timezone.localdate().year - 1
    form = YearForm(request.GET if "year" in request.GET else {"year": default_year})
    year = form.cleaned_data["year"] if form.is_valid() else default_year
    field = deadlines.place_field(year)
    # In a national installation staff and officials see their own province only (DESIGN §2);
    # the Ministry the whole country or, with ?province=, one province (as on the dashboard).
    visible, province, refused = _missing_scope(request)
    if refused is not None:
        return render(request, "reports/bad_scope.html", {"form": refused}, status=400)
    place_province = province or territory.province_for(request.user)
    place = PlaceFilterForm(request.GET, province=place_province).place(year)
    # ?pending=1: the reporting rate's missing ones, which counts approved reports only.
    pending = request.GET.get("pending") == "1"
    if pending:
        missing = deadlines.facilities_without_approved_report(year, visible)
    else:
        missing = deadlines.facilities_without_report(year, visible)
    missing = deadlines.with_report_of(missing, year)
    if place:
        missing = missing.filter(**{field: place})
    missing = missing.select_related("commune__parent", "ward", "industry").order_by(
        vietnamese("name"), "pk"
    )
    # The table counts on the list's basis: approved reports only in the ?pending=1 mode.
    counts = list(deadlines.missing_by_place(year, visible, approved=pending))
    deadline_province = province or deadlines.deadline_province(request.user) or ""
    scope_query = f"&province={province}" if province else ""
    context = {
        "form": form,
        "year": year,
        "by_ward": field == "ward",
        "place": place,
        "pending": pending,
        "province": province,
        "territory": territory.territory_name(province) if province else "",
        "whole_country": territory.province_for(request.user) == territory.ALL and not province,
        "scope_query": scope_query,
        # What the page's own links keep: the mode and the Ministry's province.
        "keep_query": ("&pending=1" if pending else "") + scope_query,
        "may_enter": request.user.is_portal_staff,
        "counts": counts,
        "total": sum(row["total"] for row in counts),
        "total_missing": sum(row["missing"] for row in counts),
        "total_reported": sum(row["reported"] for row in counts),
        "deadline": deadlines.deadline_for(year, deadline_province),
        **paginate(request, missing, PAGE_SIZE),
    }
    return render(request, "assessments/missing_reports.html", context)


def _missing_scope(request) -> tuple:
    """(the facilities the missing-reports page counts, the province a national installation's
    Ministry or superuser narrowed it to with ?province=CODE, else None, the invalid
    ProvinceParamForm of an unknown code, else None). A province's staff and officials keep
    their own province whatever the parameter says."""
    visible = Facility.objects.visible_to(request.user)
    if territory.province_for(request.user) != territory.ALL:
        return visible, None, None
    scope = ProvinceParamForm(request.GET)
    if not scope.is_valid():
        return visible.none(), None, scope
    asked = scope.cleaned_data["province"]
    if asked:
        return visible.filter(province=asked), asked, None
    return visible, None, None


# --- import -----------------------------------------------------------------------------------


def _apply(request, plan):
    try:
        result = importing.apply_import(plan, user=request.user)
    except IntegrityError:
        messages.error(request, _("Dữ liệu vừa bị thay đổi đồng thời; vui lòng nhập lại tệp."))
        return redirect("assessments:report_import")
    message = _("Đã nhập tệp %(name)s: thêm %(created)s, thay thế %(replaced)s báo cáo (đã duyệt).")
    counts = {"name": plan.filename, "created": result.created, "replaced": result.replaced}
    messages.success(request, message % counts)
    if plan.warnings:  # imported all the same: the page lists what to look at again
        context = {
            "form": ReportImportForm(),
            "imported": True,
            **shown_warnings(plan),
        }
        return render(request, "assessments/report_import.html", context)
    return redirect(reverse("assessments:report_list") + "?state=approved")


@staff_required
def report_import(request):
    """Upload, check every row, and import all or nothing (or only check: "dry run")."""
    form = ReportImportForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        plan = importing.plan_file(
            upload, upload.name, province=territory.province_for(request.user)
        )
        if plan.is_valid and not form.cleaned_data["dry_run"]:
            return _apply(request, plan)
    context = {"form": form, "plan": plan, **shown_problems(plan), **shown_warnings(plan)}
    return render(request, "assessments/report_import.html", context)
