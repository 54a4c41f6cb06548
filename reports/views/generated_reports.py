"""Generated report files: request, list with live progress, detail, download, delete, issue,
and the outgoing register of issued documents with its XLSX export.

Staff and officials request and download; only staff issue and delete (never an issued
document); officials see issued documents and their own requests; everyone else gets 404
(reports/access.py decides).
"""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import audit

from .. import issuing
from ..access import document_province, generated_reports_required, get_generated_report_for_user
from ..forms import ReportIssueForm, ReportRequestForm
from ..generation import (
    NO_PROVINCE,
    ContentChanged,
    FormatsLimitReached,
    IssuedReportProtected,
    ReportLimitReached,
    mark_stale,
    report_request_formats,
    report_request_once,
)
from ..generation import report_delete as delete_report
from ..job_queue import NotCancellable, report_cancel
from ..models import Report, is_national_document

PAGE_SIZE = 25
CONTENT_TYPES = {
    Report.Format.PDF: "application/pdf",
    Report.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Report.Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@generated_reports_required
def report_list(request):
    reports = Report.objects.visible_to(request.user).select_related("requested_by")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    mark_stale(page.object_list)
    context = {"page": page, "own_province": document_province(request.user)}
    return render(request, "reports/report_list.html", context)


@generated_reports_required
def report_request(request):
    # Whose document (a national installation: the user's province, the Ministry's national one).
    province = document_province(request.user)
    if province is None:
        messages.error(request, str(NO_PROVINCE))
        return redirect("reports:list")
    all_formats = "all_formats" in request.POST
    form = ReportRequestForm(request.POST or None, all_formats=all_formats)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if all_formats:
            return _request_all_formats(
                request, kind=data["kind"], year=data["year"], province=province
            )
        try:
            report, created = report_request_once(
                kind=data["kind"],
                year=data["year"],
                fmt=data["format"],
                by=request.user,
                province=province,
            )
        except ReportLimitReached as exc:
            messages.error(request, str(exc))
            return redirect("reports:list")
        if not created:
            messages.info(
                request,
                _(
                    "Báo cáo %(report)s đang được tạo theo một yêu cầu trước (#%(id)s): không tạo "
                    "thêm yêu cầu mới. Tệp sẽ có ở trang này khi hoàn thành."
                )
                % {"report": report, "id": report.pk},
            )
            return redirect(report)
        messages.success(request, _("Đã gửi yêu cầu tạo báo cáo: %(report)s.") % {"report": report})
        return redirect("reports:list")
    context = {"form": form, "limit": settings.REPORT_MAX_ACTIVE_JOBS}
    return render(request, "reports/report_request.html", context)


def _request_all_formats(request, *, kind: str, year: int, province: str):
    """The "Tạo cả 3 định dạng" button: every format of the kind, or none (the limit)."""
    try:
        results = report_request_formats(kind=kind, year=year, by=request.user, province=province)
    except FormatsLimitReached as exc:
        messages.error(request, str(exc))
        return redirect("reports:list")
    queued = [str(report.get_format_display()) for report, created in results if created]
    shared = [str(report.get_format_display()) for report, created in results if not created]
    if queued:
        messages.success(
            request,
            _("Đã gửi yêu cầu tạo %(kind)s %(year)s: %(formats)s.")
            % {"kind": Report.Kind(kind).label, "year": year, "formats": ", ".join(queued)},
        )
    if shared:
        messages.info(
            request,
            _("Đang được tạo theo một yêu cầu trước, không tạo thêm: %(formats)s.")
            % {"formats": ", ".join(shared)},
        )
    return redirect("reports:list")


@generated_reports_required
def report_detail(request, pk):
    report = get_generated_report_for_user(request, pk)
    mark_stale([report])
    context = {
        "report": report,
        "own_province": document_province(request.user),
        # Staff delete any draft; the requester may withdraw their own job while it waits.
        "can_cancel": not request.user.is_portal_staff and report.cancellable_by(request.user),
    }
    return render(request, "reports/report_detail.html", context)


@require_GET
@never_cache
@generated_reports_required
def report_progress(request, pk):
    report = get_generated_report_for_user(request, pk)
    return JsonResponse(progress_payload(report))


def progress_payload(report: Report) -> dict:
    succeeded = report.state == Report.State.SUCCEEDED  # a purged file: the link explains
    return {
        "id": report.pk,
        "state": report.state,
        "state_label": str(report.get_state_display()),
        "progress": report.progress,
        "attempts": report.attempts,
        "error": report.error if report.state == Report.State.FAILED else "",
        "finished": report.is_finished,
        "download_url": reverse("reports:download", args=[report.pk]) if succeeded else None,
    }


@generated_reports_required
def report_download(request, pk):
    report = get_generated_report_for_user(request, pk)
    if report.file_purged:
        # Deleted under the retention policy: say so (410 Gone) and offer to build it again.
        context = {"report": report, "days": settings.REPORT_RETENTION_DAYS}
        return render(request, "reports/report_purged.html", context, status=410)
    if report.state != Report.State.SUCCEEDED or not report.file:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    audit.record(
        request,
        audit.Action.REPORT_DOWNLOAD,
        target=report,
        year=report.year,
        format=report.format,
        sha256=report.sha256,
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=report.download_name,
        content_type=CONTENT_TYPES[report.format],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@generated_reports_required
def report_delete(request, pk):
    report = get_generated_report_for_user(request, pk, delete=True)
    if not request.user.is_portal_staff:
        return _cancel(request, report)
    if report.is_issued:
        messages.error(request, ISSUED_NOT_DELETED % {"number": report.number_label})
        return redirect(report)
    if request.method == "POST":
        try:
            delete_report(report=report)
        except IssuedReportProtected:
            report.refresh_from_db()
            messages.error(request, ISSUED_NOT_DELETED % {"number": report.number_label})
            return redirect(report)
        messages.success(request, _("Đã xóa báo cáo."))
        return redirect("reports:list")
    return render(request, "reports/report_delete.html", {"report": report})


def _cancel(request, report: Report):
    """The requester withdraws their own job while it waits for a worker (reports/job_queue.py);
    the access check let through only their own unfinished job."""
    try:
        if not report.cancellable_by(request.user):
            raise NotCancellable
        if request.method != "POST":
            return render(request, "reports/report_delete.html", {"report": report, "cancel": True})
        report_cancel(report=report, by=request.user)
    except NotCancellable:
        report.refresh_from_db()
        if report.shared and not report.is_finished:
            refusal = _("Người khác cũng đang chờ báo cáo này nên không hủy được yêu cầu.")
        else:
            refusal = _("Báo cáo đã bắt đầu được tạo hoặc đã xong, không hủy được nữa.")
        messages.error(request, refusal)
        return redirect(report)
    messages.success(request, _("Đã hủy yêu cầu tạo báo cáo: %(report)s.") % {"report": report})
    return redirect("reports:list")


ISSUED_NOT_DELETED = _(
    "Văn bản số %(number)s đã ban hành: không thể xóa. Văn bản đã ban hành được lưu vĩnh viễn "
    "trong sổ đăng ký văn bản đi."
)


@generated_reports_required
def report_issue(request, pk):
    """Staff issue a built PDF or Word draft: a confirmation page with the signer and the
    recipients, then the number of the register (reports/issuing.py)."""
    report = get_generated_report_for_user(request, pk, issue=True)
    if not report.can_issue:
        if report.is_issued:
            messages.info(
                request,
                _("Văn bản đã được ban hành với số %(number)s.") % {"number": report.number_label},
            )
        else:
            messages.error(
                request,
                _(
                    "Chỉ ban hành được dự thảo PDF hoặc Word đã tạo xong. Muốn ban hành lại, hãy "
                    "tạo dự thảo mới: văn bản mới sẽ nhận số mới."
                ),
            )
        return redirect(report)
    if settings.PORTAL_SCOPE == "national":
        # The signer settings are one department's: a national installation's staff type theirs.
        national = is_national_document(report.province)
        initial = {"signer_title": "BỘ TRƯỞNG" if national else "GIÁM ĐỐC", "on_behalf": False}
    else:
        initial = {
            "signer_title": settings.REPORT_SIGNER_TITLE,
            "signer_name": settings.REPORT_SIGNER_NAME,
            "on_behalf": settings.REPORT_SIGNER_ON_BEHALF,
        }
    form = ReportIssueForm(request.POST or None, initial=initial, report=report)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = issuing.IssueDetails(
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
            recipients=data["recipients"],
            on_behalf=data["on_behalf"],
        )
        try:
            issued = issuing.issue_report(
                report_id=report.pk,
                by=request.user,
                details=details,
                reissue_of=data["reissue_of"],
            )
        except issuing.AlreadyIssued as exc:
            # Issued meanwhile under another draft: nothing issued, no number taken; the page
            # now names that issue and asks for the confirmation.
            form = ReportIssueForm(request.POST, initial=initial, report=report)
            if form.is_valid():
                form.add_error(None, str(exc))
            context = {"report": report, "form": form}
            return render(request, "reports/report_issue.html", context, status=409)
        except issuing.NotIssuable:
            messages.error(request, _("Báo cáo này không còn là dự thảo có thể ban hành."))
            return redirect(report)
        except ContentChanged as exc:
            # Nothing issued, no number taken: the page says why and offers a new draft.
            form.add_error(None, str(exc))
            context = {"report": report, "form": form, "content_changed": True}
            return render(request, "reports/report_issue.html", context, status=409)
        messages.success(
            request,
            _("Đã ban hành văn bản số %(number)s. Lãnh đạo đã được thông báo.")
            % {"number": issued.number_label},
        )
        return redirect(issued)
    # A draft the portal already knows is out of date says so on opening, not only once the
    # form is sent (issuing refuses it then: ContentChanged).
    mark_stale([report])
    context = {"report": report, "form": form, "content_changed": bool(report.stale)}
    return render(request, "reports/report_issue.html", context)


@generated_reports_required
def register(request):
    """Sổ đăng ký văn bản đi: the issued documents, for staff and officials."""
    registered = issuing.register_queryset(request.user)
    page = Paginator(registered, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/register.html", {"page": page})


@generated_reports_required
def register_export(request):
    """The outgoing register as XLSX, for the archive."""
    response = HttpResponse(
        issuing.register_xlsx(request.user), content_type=CONTENT_TYPES[Report.Format.XLSX]
    )
    audit.record(request, audit.Action.REGISTER_EXPORT, target="outgoing_register", format="xlsx")
    response["Content-Disposition"] = 'attachment; filename="so-dang-ky-van-ban-di.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
