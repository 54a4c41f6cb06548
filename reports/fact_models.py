"""The stored per-facility facts behind the indicators (issue 18 point 4), kept by
`reports.fact_table`: one row per (year, operating facility) as the `flags` of
`reports.fact_sql.FACTS_SQL` give it, so that a dashboard request for any scope aggregates rows
instead of recomputing the rules over every report. Imported by `reports.models`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FactNumericField(models.DecimalField):
    """PostgreSQL `numeric` without precision or scale: the percentages of FACTS_SQL stored as
    computed, so the stored sums equal the recomputed ones digit for digit."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 40)
        kwargs.setdefault("decimal_places", 20)
        super().__init__(*args, **kwargs)

    def db_type(self, connection):
        return "numeric" if connection.vendor == "postgresql" else super().db_type(connection)


class FacilityYearFact(models.Model):
    """The facts of one facility operating in one year (columns: fact_sql.FLAG_COLUMNS)."""

    # The group keys are NULL where FACTS_SQL gives NULL (no unit: the group NONE_KEY), as the
    # rules give them, so that stored and recomputed rows group alike.
    y = models.PositiveSmallIntegerField(_("năm"))
    facility = models.ForeignKey(
        "facilities.Facility", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    province = models.CharField(max_length=2, null=True)  # noqa: DJ001
    old_province = models.CharField(max_length=20, null=True)  # noqa: DJ001
    old_district = models.CharField(max_length=20, null=True)  # noqa: DJ001
    ward = models.CharField(max_length=20, null=True)  # noqa: DJ001
    division = models.CharField(max_length=2, null=True)  # noqa: DJ001
    high_risk = models.SmallIntegerField()
    key_energy = models.SmallIntegerField()
    aware = models.SmallIntegerField()
    applies = models.SmallIntegerField()
    big = models.SmallIntegerField()
    has_unit = models.SmallIntegerField()
    trained = models.SmallIntegerField()
    reported = models.SmallIntegerField(default=0)
    saving_ok = models.SmallIntegerField()
    saving_pct = FactNumericField(null=True)
    water_ok = models.SmallIntegerField()
    water_pct = FactNumericField(null=True)

    class Meta:
        verbose_name = _("dữ kiện chỉ tiêu của cơ sở theo năm")
        verbose_name_plural = _("dữ kiện chỉ tiêu của cơ sở theo năm")
        constraints = [
            models.UniqueConstraint(fields=["facility", "y"], name="one_fact_per_facility_year")
        ]
        indexes = [models.Index(fields=["y", "province"], name="fact_year_province_idx")]

    def __str__(self):
        return f"{self.facility_id} {self.y}"


class FactsState(models.Model):
    """Whether the stored facts are complete (`fresh`) and for which years: one row. Not fresh
    after a change whose facilities are not known (a bulk load, a conversion factor, a unit):
    the indicators are computed on the spot until `fact_table.rebuild` has run."""

    key = models.CharField(max_length=10, primary_key=True, default="facts")
    fresh = models.BooleanField(default=False)
    years = models.JSONField(default=list)
    built_at = models.DateTimeField(null=True)
    # The rules' fingerprint the rows were computed with (fact_table.rules_version): rows of
    # other rules are stale, whatever `fresh` says.
    rules = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        verbose_name = _("trạng thái dữ kiện chỉ tiêu")
        verbose_name_plural = _("trạng thái dữ kiện chỉ tiêu")

    def __str__(self):
        return f"{self.key}: {'fresh' if self.fresh else 'stale'}"


class FactsDirty(models.Model):
    """A facility whose data changed since its stored facts were computed: written in the same
    transaction as the change, refreshed (and removed) before the next read of the facts."""

    facility_id = models.BigIntegerField(primary_key=True)

    class Meta:
        verbose_name = _("cơ sở cần tính lại dữ kiện")
        verbose_name_plural = _("cơ sở cần tính lại dữ kiện")

    def __str__(self):
        return str(self.facility_id)
