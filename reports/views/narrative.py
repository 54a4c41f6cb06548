"""The narrative parts of a report (shortcomings, next period's direction, recommendations),
written by staff before generating the report (reports.models.ReportNarrative). In a national
installation each province's staff write their province's (reports.access.document_province)."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import staff_required

from ..access import document_province
from ..models import ReportNarrative

HELP = gettext_lazy(
    'Văn bản thường: dòng trống ngăn cách các đoạn; dòng bắt đầu bằng "- " là một ý gạch đầu dòng.'
)


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = ReportNarrative
        fields = ["shortcomings", "direction", "recommendations"]
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in fields}
        help_texts = dict.fromkeys(fields, HELP)


@staff_required
def narrative_edit(request, year: int, period: str):
    if period not in ReportNarrative.PeriodKind.values or not 2000 <= year <= 2100:
        raise Http404
    province = document_province(request.user)
    if province is None:  # a national installation's account without a province
        raise Http404
    mine = {"province": province, "year": year, "period_kind": period}
    narrative = ReportNarrative.objects.filter(**mine).first()
    narrative = narrative or ReportNarrative(**mine)
    form = NarrativeForm(request.POST or None, instance=narrative)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.updated_by = request.user
        saved.save()
        messages.success(
            request,
            _("Đã lưu nội dung báo cáo %(period)s năm %(year)s.")
            % {"period": saved.get_period_kind_display().lower(), "year": year},
        )
        return redirect("reports:narrative", year=year, period=period)
    history = ReportNarrative.history.filter(**mine).select_related("history_user")
    context = {
        "form": form,
        "year": year,
        "period": period,
        "period_label": ReportNarrative.PeriodKind(period).label,
        "kinds": ReportNarrative.PeriodKind.choices,
        "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
        "history": history.order_by("-history_date")[:50],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/narrative_form.html", context, status=status)


@staff_required
def narrative_start(request):
    """The narrative of the year being reported on by default (last year), annual."""
    return redirect("reports:narrative", year=timezone.localdate().year - 1, period="year")
