"""Data-quality pages for staff (issue 14): the rules (severity, thresholds, on/off, with their
history), the open findings by rule, place and sector with an XLSX export, and the run of the
rules over existing data (a Celery job with a progress bar)."""

from django.contrib import messages
from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import (
    may_edit_shared_reference,
    shared_reference_editor_required,
    staff_required,
)
from core import audit
from core.collation import vietnamese
from core.history import history_entries
from core.locking import save_unless_stale
from core.pagination import paginate
from facilities.models import Facility
from facilities.territory import unit_label

from ..models import QualityRule, QualityRun
from ..quality_export import findings_xlsx
from ..quality_forms import FindingFilterForm, QualityRuleForm, filter_findings
from ..quality_jobs import quality_run_create
from ..quality_rules import EDITED_REASON, RULE_THRESHOLDS, display_reason, display_text
from ..report_forms import place_filter, with_places

PAGE_SIZE = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FINDING_RELATED = (
    "rule",
    "report__facility__commune__parent",
    "report__facility__ward",
    "report__facility__industry",
)


@staff_required
def quality_rule_list(request):
    rules = QualityRule.objects.annotate(open_findings=Count("findings", filter=_open(request)))
    return render(request, "assessments/quality_rule_list.html", {"rules": rules})


def _open(request):
    """The open findings the user may see: the count links to the findings page, which lists
    only those (in a national installation, their province's)."""
    visible = Facility.objects.visible_to(request.user)
    return Q(findings__resolved_at__isnull=True, findings__report__facility__in=visible)


@shared_reference_editor_required
def quality_rule_edit(request, pk):
    rule = get_object_or_404(QualityRule, pk=pk)
    form = QualityRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        # The hidden version alone differs when the page posts none: nothing to save either.
        if not set(form.changed_data) - {"version"}:
            messages.info(request, _("Quy tắc %(code)s không có thay đổi.") % {"code": rule.code})
            return redirect("assessments:quality_rule_list")
        if save_unless_stale(form, lambda: _save_rule(form)):
            _recheck_after_edit(request, form.instance)
            return redirect("assessments:quality_rule_list")
        # Someone saved the rule since this form was loaded: nothing saved, the latest values.
        messages.error(
            request,
            _(
                "Quy tắc này vừa được người khác cập nhật trong lúc bạn đang sửa nên thay đổi "
                "của bạn chưa được lưu. Biểu mẫu dưới đây là dữ liệu mới nhất; vui lòng tải lại "
                "trang và nhập lại thay đổi."
            ),
        )
        rule = QualityRule.objects.get(pk=pk)
        form = QualityRuleForm(instance=rule)
    context = {
        "form": form,
        "rule": rule,
        "settings": RULE_THRESHOLDS.get(rule.code, ()),
        "history": _history(rule),
    }
    return render(request, "assessments/quality_rule_form.html", context)


def _save_rule(form) -> None:
    rule = form.save(commit=False)
    rule._change_reason = EDITED_REASON  # stored in Vietnamese, shown translated
    rule.save()


def _recheck_after_edit(request, rule) -> None:
    """The stored findings (review queue, report pages, findings list) follow the rule's new
    settings: a changed rule queues a re-check of every report, so a reviewer never sees a
    finding at a severity the approval no longer applies. A run already under way may have
    checked part of the reports under the old settings: staff are told to start another."""
    run = quality_run_create(by=request.user)
    if run.state == QualityRun.State.RUNNING:
        messages.warning(
            request,
            _(
                "Đã lưu quy tắc %(code)s. Một lượt kiểm tra lại đang chạy theo thiết lập cũ: "
                "khi lượt đó xong, bấm “Kiểm tra lại toàn bộ dữ liệu” để áp dụng quy tắc mới "
                "cho số liệu đã có."
            )
            % {"code": rule.code},
        )
        return
    messages.success(
        request,
        _(
            "Đã lưu quy tắc %(code)s và bắt đầu kiểm tra lại toàn bộ báo cáo năm theo quy tắc "
            "mới; các phát hiện được cập nhật khi kiểm tra xong."
        )
        % {"code": rule.code},
    )


def _history(rule) -> list[dict]:
    entries = history_entries(rule) if rule.history.exists() else []
    for entry in entries:
        entry["reason"] = display_reason(entry["reason"])
    return entries


def _by_rule(findings) -> list[dict]:
    rows = (
        findings.values("rule__code", "rule__name", "rule_id")
        .annotate(n=Count("pk"))
        .order_by("rule_id")
    )
    return [
        {**row, "rule_name": display_text(row["rule__code"], "name", row["rule__name"])}
        for row in rows
    ]


def _by_place(findings, year: int | None) -> list[dict]:
    """The counts by place: by the one a chosen year is counted by (report_forms.place_filter),
    else by old district and by 2025 commune/ward. Each table: `name` (its filter) and `rows`
    (place_id, place_name, n; place_id None for facilities without such a place)."""
    names = [place_filter(year)] if year else list(FindingFilterForm.PLACES)
    tables = []
    for name in names:
        path = FindingFilterForm.PLACES[name]
        rows = (
            findings.values(place_id=F(path), place_name=unit_label(path))
            .annotate(n=Count("pk"))
            .order_by("-n", vietnamese("place_name", nulls_last=True))
        )
        tables.append({"name": name, "rows": rows})
    return tables


@require_GET
@staff_required
def quality_findings(request):
    findings, form = filter_findings(request.GET, request.user)
    if request.GET.get("format") == "xlsx":
        return _export(request, findings, form)
    listed = findings.select_related(*FINDING_RELATED).order_by(
        vietnamese("report__facility__name"), "report__year", "rule_id", "pk"
    )
    division = Substr("report__facility__industry__code", 1, 2)
    year = form.cleaned_data["year"] if form.is_valid() else None
    context = {
        "form": form,
        "year": year,
        "by_rule": _by_rule(findings),
        "by_place": _by_place(findings, year),
        "by_division": findings.annotate(division=division)
        .values("division")
        .annotate(n=Count("pk"))
        .order_by("-n", "division"),
        "run": _latest_run(request.user),
        **paginate(request, listed, PAGE_SIZE),
    }
    with_places(finding.report for finding in context["page"].object_list)  # the place column
    return render(request, "assessments/quality_findings.html", context)


# Re-checks every province's reports: in a national installation a superuser's (DESIGN §2).
@require_POST
@shared_reference_editor_required
def quality_run_start(request):
    run = quality_run_create(by=request.user)
    messages.info(
        request,
        _("Đang kiểm tra lại toàn bộ báo cáo năm theo các quy tắc; trang tự cập nhật tiến độ."),
    )
    return redirect(_findings_url() + f"#run-{run.pk}")


def _findings_url() -> str:
    return reverse("assessments:quality_findings")


def _latest_run(user) -> QualityRun | None:
    """The latest run of the rules, for those who may start one: a run re-checks every stored
    report (in a national installation, every province's), so its card tells nation-wide counts
    and who asked; a province's staff of a national installation see nothing of it."""
    if not may_edit_shared_reference(user):
        return None
    return QualityRun.objects.select_related("requested_by").first()


@require_GET
@staff_required
def quality_run_progress(request, pk):
    if not may_edit_shared_reference(request.user):  # not theirs to know of (_latest_run)
        raise Http404
    run = get_object_or_404(QualityRun, pk=pk)
    return JsonResponse(
        {
            "state": run.state,
            "state_label": run.get_state_display(),
            "progress": run.progress,
            "running": run.is_running,
            "checked": run.checked,
            "findings": run.findings,
        }
    )


# --- export ----------------------------------------------------------------------------------


def _export(request, findings, form):
    content = findings_xlsx(findings, report_url=_report_url(request))
    audit.record(
        request,
        audit.Action.FINDINGS_EXPORT,
        target="quality_findings",
        format=audit.format_label("xlsx"),
        filters=audit.filters_detail(form),
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    filename = f"phat-hien-so-lieu-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


URL_PK = 987654321  # a stand-in report id, replaced by each row's


def _report_url(request):
    """The absolute address of a report's page by its id, as get_absolute_url() and
    build_absolute_uri() write it: both called once for the export, not once a row."""
    url = request.build_absolute_uri(reverse("assessments:report_detail", args=[URL_PK]))
    head, tail = url.rsplit(str(URL_PK), 1)
    return lambda pk: f"{head}{pk}{tail}"
