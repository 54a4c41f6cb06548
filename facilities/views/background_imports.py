"""Big facility imports run by Celery (facilities/import_jobs.py): the job page with its progress
bar, which becomes the import preview and then the result; the progress JSON; the confirm button.
Staff only, like the import page (officials and facility users get 403)."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.access import staff_required

from .. import import_jobs
from ..models import ImportJob


@staff_required
def import_job_detail(request, pk):
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    context = {
        "job": job,
        "problems": job.problems,
        "hidden_problems": job.problem_count - len(job.problems),
        "warnings": job.warnings,
        "hidden_warnings": job.warning_count - len(job.warnings),
        "warning_count": job.warning_count,
    }
    return render(request, "facilities/facility_import_job.html", context)


@require_GET
@never_cache
@staff_required
def import_job_progress(request, pk):
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    return JsonResponse(
        {
            "id": job.pk,
            "state": job.state,
            "state_label": str(job.get_state_display()),
            "progress": job.progress,
            "running": job.is_running,
        }
    )


@require_POST
@staff_required
def import_job_confirm(request, pk):
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    if not import_jobs.import_job_confirm(job=job, by=request.user):
        messages.error(request, _("Tệp này không ở trạng thái chờ xác nhận nhập."))
    return redirect(job)
