"""Facility import (upload -> preview -> confirm) for staff, the template, and the export."""

import re
import secrets
import time
from pathlib import Path, PurePath

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.access import staff_required
from core import audit, spreadsheets
from core.sheet_files import EXTENSIONS, MAX_FILE_BYTES

from .. import exporting, import_columns, import_jobs, import_template, importing, territory
from ..filters import filter_facilities, filter_problems
from ..models import Facility

SESSION_KEY = "facility_import"
RESULT_KEY = "facility_import_result"  # the warnings of the last import, for its result page
STALE_SECONDS = 24 * 3600
PLAIN_TEXT = "text/plain; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FacilityImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp danh sách cơ sở (.xlsx hoặc .csv)"),
        help_text=gettext_lazy("Tối đa 10 MB và 100.000 dòng; dòng 1 là tiêu đề cột."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = PurePath(upload.name).suffix.lower()
        if extension == ".xlsm":
            raise forms.ValidationError(_("Không chấp nhận tệp có macro (.xlsm)."))
        if extension not in EXTENSIONS:
            raise forms.ValidationError(_("Chỉ chấp nhận tệp .csv hoặc .xlsx."))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn: tối đa 10 MB."))
        return upload


def _imports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _stored_path(request) -> Path | None:
    """The pending upload of this session, if it is still there."""
    pending = request.session.get(SESSION_KEY) or {}
    token, extension = pending.get("token", ""), pending.get("extension", "")
    if not re.fullmatch(r"[0-9a-f]{32}", token) or extension not in EXTENSIONS:
        return None
    path = _imports_dir() / f"{token}{extension}"
    return path if path.is_file() else None


def _discard(request) -> None:
    path = _stored_path(request)
    if path:
        path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)


def _remove_stale_files() -> None:
    cutoff = time.time() - STALE_SECONDS
    for path in _imports_dir().glob("*.*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:  # removed meanwhile by another request
            continue


def _store(request, upload) -> Path:
    _discard(request)
    directory = _imports_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _remove_stale_files()
    token, extension = secrets.token_hex(16), PurePath(upload.name).suffix.lower()
    path = directory / f"{token}{extension}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    request.session[SESSION_KEY] = {
        "token": token,
        "extension": extension,
        "filename": PurePath(upload.name).name,
    }
    return path


def _plan_stored(request, path: Path) -> importing.ImportPlan:
    with path.open("rb") as handle:
        return importing.plan_file(
            handle,
            request.session[SESSION_KEY]["filename"],
            province=territory.province_for(request.user),
        )


def _row_count(request, path: Path) -> int:
    """Data rows of the stored upload, counted no further than ASYNC_ROW_THRESHOLD + 1; 0 for a
    file that cannot be read (plan_file then says why, as for any small file)."""
    with path.open("rb") as handle:
        try:
            return import_columns.count_rows(
                handle,
                request.session[SESSION_KEY]["filename"],
                limit=importing.ASYNC_ROW_THRESHOLD,
            )
        except spreadsheets.ImportFileError:
            return 0


def _start_job(request, path: Path):
    """Hand the stored upload over to a Celery job (it is no longer this session's)."""
    filename = request.session.pop(SESSION_KEY)["filename"]
    return import_jobs.import_job_create(path=path, original_name=filename, by=request.user)


def _preview(request, plan):
    if not plan.is_valid:
        _discard(request)
    context = {
        "plan": plan,
        # The confirm form names the upload it previews: another tab's later upload replaces
        # the session's pending file, and must not be written under this preview's button.
        "upload_token": (request.session.get(SESSION_KEY) or {}).get("token", ""),
        **spreadsheets.shown_problems(plan),
        **spreadsheets.shown_warnings(plan),
    }
    return render(request, "facilities/facility_import_preview.html", context)


@staff_required
def facility_import(request):
    form = FacilityImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        request.session.pop(RESULT_KEY, None)
        path = _store(request, form.cleaned_data["file"])
        if _row_count(request, path) > importing.ASYNC_ROW_THRESHOLD:
            return redirect(_start_job(request, path))
        plan = _plan_stored(request, path)
        if plan.problems and plan.problems[0].row is None:
            _discard(request)
            for problem in plan.problems:
                form.add_error("file", problem.message)
        else:
            return _preview(request, plan)
    return render(request, "facilities/facility_import.html", {"form": form})


@require_POST
@staff_required
def facility_import_confirm(request):
    path = _stored_path(request)
    if path is None:
        messages.error(request, _("Không tìm thấy tệp đang chờ nhập; vui lòng tải tệp lên lại."))
        return redirect("facilities:import")
    if request.POST.get("upload") != request.session[SESSION_KEY]["token"]:
        messages.error(
            request,
            _(
                "Tệp đang chờ nhập không còn là tệp của trang kiểm tra này: một tệp khác đã được "
                "tải lên sau đó (ví dụ ở thẻ khác). Chưa có dữ liệu nào được ghi; hãy tải tệp "
                "cần nhập lên lại."
            ),
        )
        return redirect("facilities:import")
    plan = _plan_stored(request, path)
    if not plan.is_valid:
        return _preview(request, plan)
    try:
        result = importing.apply_import(plan, user=request.user)
    except IntegrityError:
        _discard(request)
        messages.error(request, _("Dữ liệu vừa bị thay đổi đồng thời; vui lòng nhập lại tệp."))
        return redirect("facilities:import")
    _discard(request)
    messages.success(
        request,
        _(
            "Đã nhập tệp %(name)s: thêm %(created)s, cập nhật %(updated)s, "
            "giữ nguyên %(same)s cơ sở."
        )
        % {
            "name": plan.filename,
            "created": result.created,
            "updated": result.updated,
            "same": result.unchanged,
        },
    )
    if not plan.warnings:
        return redirect("facilities:list")
    request.session[RESULT_KEY] = {
        "filename": plan.filename,
        "warnings": spreadsheets.problems_as_dicts(plan.warnings, spreadsheets.PROBLEMS_SHOWN),
        "warning_count": len(plan.warnings),
    }
    return redirect("facilities:import_result")


@require_GET
@staff_required
def facility_import_result(request):
    """The warnings of the file this session has just imported (rows imported all the same)."""
    result = request.session.get(RESULT_KEY)
    if not result:
        return redirect("facilities:list")
    context = {
        "filename": result["filename"],
        "warnings": result["warnings"],
        "warning_count": result["warning_count"],
        "hidden_warnings": result["warning_count"] - len(result["warnings"]),
        "imported": True,
    }
    return render(request, "facilities/facility_import_result.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@staff_required
def facility_import_template(request):
    template = import_template.template_xlsx(territory.province_for(request.user))
    return _download(template, XLSX_TYPE, "mau-nhap-co-so-sxcn.xlsx")


@require_GET
@login_required
def facility_export(request):
    kind = request.GET.get("format", "xlsx")
    if kind not in ("xlsx", "csv"):
        return HttpResponseBadRequest(_("Định dạng xuất phải là xlsx hoặc csv."))
    queryset, form = filter_facilities(
        request.GET,
        Facility.objects.visible_to(request.user),
        province=territory.province_for(request.user),
    )
    if form.is_bound and not form.is_valid():
        # The list shows the whole registry with a warning; a file has no warning to show, and
        # the whole registry under a filtered name would be taken for the filtered list.
        return HttpResponseBadRequest(filter_problems(form), content_type=PLAIN_TEXT)
    filename = f"co-so-sxcn-{timezone.localdate():%Y%m%d}.{kind}"
    audit.record(
        request,
        audit.Action.REGISTRY_EXPORT,
        target="facilities",
        format=audit.format_label(kind),
        filters=audit.filters_detail(form, skip=("sort",)),  # the order filters nothing
    )
    if kind == "csv":
        return _download(exporting.export_csv(queryset), "text/csv; charset=utf-8", filename)
    return _download(exporting.export_xlsx(queryset), XLSX_TYPE, filename)
