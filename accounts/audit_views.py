"""The audit log (core.audit) read by the Sở's staff in the portal: "Nhật ký kiểm toán". Read
only, as the log is append-only; who reads which entries is accounts.audit.visible_events."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.audit import detail_rows, target_text
from core.pagination import paginate

from .access import staff_required
from .audit import visible_events
from .forms import AuditFilterForm

PAGE_SIZE = 25


@require_safe
@staff_required
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    events = form.filter(visible_events(request.user))
    events = events.select_related("actor").order_by("-at", "-pk")
    context = {"form": form, **paginate(request, events, PAGE_SIZE)}
    for event in context["page"].object_list:
        event.detail_rows = detail_rows(event)
        event.target_text = target_text(event.target)
    return render(request, "accounts/audit_log.html", context)
