"""Plan periods: the years annual reports may be filed for."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.locking import Versioned


class PlanPeriodQuerySet(models.QuerySet):
    def covering(self, year: int):
        return self.filter(start_year__lte=year, end_year__gte=year)

    def editable_by(self, user):
        """The periods `user` may change: a national installation's province staff their own
        province's; other staff (and superusers) every period (DESIGN §2)."""
        province = user.scoped_province
        return self if province is None else self.filter(province=province or "-")

    def for_year(self, year: int, province: str | None = None):
        """The period whose targets judge `year`: the province's own covering period when it
        has one (a national installation), else the installation's (the national strategy's)."""
        covering = self.covering(year).order_by("-start_year")
        if province:
            own = covering.filter(province=province).first()
            if own is not None:
                return own
        return covering.filter(province="").first()

    def years(self) -> set[int]:
        """Every year covered by these periods: the one home of "plan years"."""
        years = set()
        for start, end in self.values_list("start_year", "end_year"):
            years.update(range(start, end + 1))
        return years


class PlanPeriod(Versioned):
    """A plan or programme period (2016–2020 seeded; 2021–2030 fits the same model).

    It lives here, below `reports` (its indicators and targets), because annual reports may be
    filed only for a plan year: `assessments` must read the periods and must not import `reports`
    (DESIGN §1 layers). Passing the years in from a caller would not do: the report forms, views
    and import of this app are the callers. Moved from reports in issue 12 without moving its
    tables (state-only migrations), hence the table names.
    """

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên kế hoạch"), max_length=255)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    # A national installation: the 2025 province ("24") whose own plan this is; "" for the
    # installation's plan (a one-province installation's, or the national strategy's).
    province = models.CharField(_("tỉnh/thành phố"), max_length=2, blank=True, default="")
    history = HistoricalRecords(
        table_name="reports_historicalplanperiod", excluded_fields=["version"]
    )
    objects = PlanPeriodQuerySet.as_manager()

    class Meta:
        db_table = "reports_planperiod"
        verbose_name = _("giai đoạn kế hoạch")
        verbose_name_plural = _("giai đoạn kế hoạch")
        ordering = ["start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="planperiod_years_order"
            )
        ]

    # The years a plan period may span: the cleaner-production programmes run from the 2009
    # national strategy on; a year outside is a typing error (0, 1800, 20300).
    FIRST_YEAR, LAST_YEAR = 2000, 2100

    @classmethod
    def year_range_message(cls) -> str:
        return _("Năm của giai đoạn kế hoạch phải từ %(first)s đến %(last)s.") % {
            "first": cls.FIRST_YEAR,
            "last": cls.LAST_YEAR,
        }

    def clean(self):
        """The years lie in the range, in order, and share none with another period of the same
        plan (province): a year's targets come from one period (`for_year`). The one home of
        these rules, for the staff form and the admin alike."""
        errors = {
            name: self.year_range_message()
            for name in ("start_year", "end_year")
            if getattr(self, name) is not None
            and not self.FIRST_YEAR <= getattr(self, name) <= self.LAST_YEAR
        }
        if errors:
            raise ValidationError(errors)
        start, end = self.start_year, self.end_year
        if start is None or end is None:
            return
        if end < start:
            message = _("Năm kết thúc phải từ năm bắt đầu trở đi.")
            raise ValidationError({"end_year": message}, code="years_order")
        if (other := self.overlapping()) is not None:
            message = _("Giai đoạn bị trùng năm với giai đoạn %(other)s.") % {"other": other}
            raise ValidationError({"start_year": message}, code="overlap")
        self._check_dropped_years()

    def _check_dropped_years(self) -> None:
        """A stored period is not shortened past years that hold its indicators' milestones or
        manual values: those rows would stay, hidden from every page, and come back unseen
        when the period is lengthened again. Staff delete them first; the message names them
        (on `start_year` for the years dropped at the start, `end_year` for those at the end)."""
        held = self.dropped_entries()
        errors = {}
        for name, years in (
            ("start_year", [year for year in held if year < self.start_year]),
            ("end_year", [year for year in held if year > self.end_year]),
        ):
            if years:
                details = "; ".join(_year_entries(year, *held[year]) for year in years)
                errors[name] = ValidationError(
                    _("Không thể rút ngắn giai đoạn kế hoạch: %(details)s; hãy xóa chúng trước.")
                    % {"details": details},
                    code="years_in_use",
                )
        if errors:
            raise ValidationError(errors)

    def dropped_entries(self) -> dict[int, tuple[list[str], list[str]]]:
        """The stored years this period's new start..end leaves out that hold milestones or
        manual values of its indicators (reports.Indicator, reached through its relations:
        this app does not import reports): year -> (codes with a milestone, codes with a value),
        by year. Empty for a new period."""
        if not self.pk:
            return {}
        stored = PlanPeriod.objects.filter(pk=self.pk).values_list("start_year", "end_year")
        stored = stored.first()
        if stored is None:
            return {}
        dropped = set(range(stored[0], stored[1] + 1)) - set(self.years)
        held: dict[int, tuple[list[str], list[str]]] = {}
        indicators = self.indicators.order_by("order", "code")
        for indicator in indicators.prefetch_related("milestones", "values"):
            for kind, rows in enumerate((indicator.milestones.all(), indicator.values.all())):
                for year in sorted({row.year for row in rows} & dropped):
                    held.setdefault(year, ([], []))[kind].append(indicator.code)
        return dict(sorted(held.items()))

    def overlapping(self) -> "PlanPeriod | None":
        """Another period of the same plan (province) sharing a year with this one."""
        others = PlanPeriod.objects.filter(province=self.province).exclude(pk=self.pk)
        overlapping = others.filter(start_year__lte=self.end_year, end_year__gte=self.start_year)
        return overlapping.order_by("start_year").first()

    def __str__(self):
        """The name, with the years after it unless the name already gives them."""
        if str(self.start_year) in self.name and str(self.end_year) in self.name:
            return self.name
        return f"{self.name} ({self.start_year}–{self.end_year})"

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


def _year_entries(year: int, milestones: list[str], values: list[str]) -> str:
    """What one year of a period still holds, as the refusal to shorten it says."""
    names = {"year": year, "milestones": ", ".join(milestones), "values": ", ".join(values)}
    if milestones and values:
        held = _("năm %(year)s còn mốc chỉ tiêu của %(milestones)s và số liệu của %(values)s")
    elif milestones:
        held = _("năm %(year)s còn mốc chỉ tiêu của %(milestones)s")
    else:
        held = _("năm %(year)s còn số liệu của %(values)s")
    return held % names


def plan_years() -> set[int]:
    """Years covered by a plan period: annual reports may be filed for them."""
    return PlanPeriod.objects.years()


def valid_report_year(year: int, years: set[int] | None = None) -> bool:
    """Whether `year` lies within a plan period; pass `years` (plan_years()) to save a query."""
    return year in (plan_years() if years is None else years)
