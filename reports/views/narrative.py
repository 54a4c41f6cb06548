"""The narrative parts of a report (shortcomings, next period's direction, recommendations),
written by staff before generating the report (reports.models.ReportNarrative). In a national
installation each province's staff write their province's (reports.access.document_province)."""

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import staff_required
from core.forms import PlainTextMixin
from core.history import shown_history
from core.locking import VersionFieldMixin, is_stale
from core.text import printable

from ..access import document_province
from ..forms import requestable_years
from ..models import ReportNarrative

HELP = gettext_lazy(
    'Văn bản thường: dòng trống ngăn cách các đoạn; dòng bắt đầu bằng "- " là một ý gạch đầu dòng.'
)
EDIT_CONFLICT = gettext_lazy(
    "Nội dung báo cáo này vừa được người khác cập nhật trong lúc bạn đang sửa nên thay đổi của bạn "
    "chưa được lưu. Biểu mẫu dưới đây là dữ liệu mới nhất; vui lòng tải lại trang và nhập lại thay "
    "đổi."
)


class _PlainText(forms.CharField):
    """Text as typed, without the control characters text pasted from another program may carry
    (core.text.printable: a vertical tab or form feed becomes a line break, the others go)."""

    def to_python(self, value):
        return printable(super().to_python(value))


class NarrativeForm(PlainTextMixin, VersionFieldMixin, forms.ModelForm):
    """An edit carries the version it was loaded with (optimistic locking, core/locking.py); a
    narrative not written yet is shown as version 0, so that a colleague's first save, made
    while this page was open, makes the save stale too.

    Control characters are dropped, not refused: they are invisible in the text box (staff could
    not find one to remove it), Word and Excel put a vertical tab where a line breaks, and printed
    they are only empty boxes; the DOCX and XLSX writers drop them the same way."""

    class Meta:
        model = ReportNarrative
        fields = ["shortcomings", "direction", "recommendations"]
        field_classes = dict.fromkeys(fields, _PlainText)
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in fields}
        help_texts = dict.fromkeys(fields, HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial["version"] = 0


@staff_required
def narrative_edit(request, year: int, period: str):
    if period not in ReportNarrative.PeriodKind.values or not 2000 <= year <= 2100:
        raise Http404
    province = document_province(request.user)
    if province is None:  # a national installation's account without a province
        raise Http404
    mine = {"province": province, "year": year, "period_kind": period}
    form = NarrativeForm(request.POST or None, instance=_narrative(mine))
    if request.method == "POST" and form.is_valid():
        if _save(form, request.user):
            messages.success(
                request,
                _("Đã lưu nội dung báo cáo %(period)s %(year)s.")
                % {"period": form.instance.get_period_kind_display().lower(), "year": year},
            )
            return redirect("reports:narrative", year=year, period=period)
        messages.error(request, EDIT_CONFLICT)  # nothing saved: show the latest values
        form = NarrativeForm(instance=_narrative(mine))
    history = ReportNarrative.history.filter(**mine).select_related("history_user")
    context = {
        "form": form,
        "year": year,
        "period": period,
        "period_label": ReportNarrative.PeriodKind(period).label,
        "kinds": ReportNarrative.PeriodKind.choices,
        # The years a report can be requested for (the plan periods' years, up to this one).
        "years": requestable_years(),
        "history": shown_history(request, history.order_by("-history_date")),
    }
    status = 400 if form.is_bound else 200
    return render(request, "reports/narrative_form.html", context, status=status)


def _narrative(mine: dict) -> ReportNarrative:
    """The period's narrative, or a new (unsaved) one."""
    return ReportNarrative.objects.filter(**mine).first() or ReportNarrative(**mine)


def _save(form: NarrativeForm, user) -> bool:
    """Save the form's narrative unless someone saved it since the form was loaded (or created
    it meanwhile, the unique period refusing this one's insert); False when nothing was saved."""
    try:
        with transaction.atomic():
            if is_stale(form):  # locks the row until the save below is committed
                return False
            saved = form.save(commit=False)
            saved.updated_by = user
            saved.save()
    except IntegrityError:
        if form.instance.pk is not None or not _narrative_exists(form.instance):
            raise
        return False
    return True


def _narrative_exists(narrative: ReportNarrative) -> bool:
    mine = {k: getattr(narrative, k) for k in ("province", "year", "period_kind")}
    return ReportNarrative.objects.filter(**mine).exists()


@staff_required
def narrative_start(request):
    """The narrative of the year being reported on by default (last year), annual."""
    return redirect("reports:narrative", year=timezone.localdate().year - 1, period="year")
