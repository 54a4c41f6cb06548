"""Programme activities (workshops, training, …) and the facilities that took part."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.history import entries_from_records, history_entries
from core.locking import Versioned
from core.numbers import format_number
from core.text import NFCCharField
from facilities.models import Facility
from facilities.provinces import legacy_codes_of


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and officials see every activity; a facility's representative only those
        their facilities took part in."""
        if user.is_authenticated and user.is_staff_or_official:
            province = user.scoped_province
            if province is None:
                return self
            # A national installation: the activities held in the user's province (the old
            # district, or any facility of the province taking part).
            facilities = Facility.objects.visible_to(user)
            taken_part = Participation.objects.filter(facility__in=facilities)
            return self.filter(
                Q(district__parent__code__in=legacy_codes_of(province))
                | Q(pk__in=taken_part.values("activity_id"))
            )
        facilities = Facility.objects.visible_to(user)
        taken_part = Participation.objects.filter(facility__in=facilities)
        return self.filter(pk__in=taken_part.values("activity_id"))


# The entries of a participant in the activity's history (Activity.change_history).
PARTICIPATION_HISTORY_TYPES = {
    "+": _("Thêm cơ sở tham gia “%(facility)s”"),
    "~": _("Sửa cơ sở tham gia “%(facility)s”"),
    "-": _("Bỏ cơ sở tham gia “%(facility)s”"),
}


class Activity(Versioned):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Hội thảo nâng cao nhận thức")
        TRAINING = "training", _("Khóa đào tạo")
        TECHNICAL = "technical", _("Hỗ trợ kỹ thuật")
        DEMONSTRATION = "demonstration", _("Mô hình trình diễn")
        COMMUNICATION = "communication", _("Truyền thông")

    # Kinds that make participants aware of cleaner production (AWARE_PCT, DESIGN §4).
    AWARENESS_KINDS = (Kind.WORKSHOP, Kind.TRAINING)

    kind = models.CharField(_("loại hoạt động"), max_length=15, choices=Kind.choices)
    title = NFCCharField(_("tên hoạt động"), max_length=255)
    date = models.DateField(_("ngày tổ chức"))
    district = models.ForeignKey(
        "facilities.AdminUnit",
        verbose_name=_("huyện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("nội dung"), blank=True)
    budget_province_vnd = models.PositiveBigIntegerField(_("ngân sách tỉnh (đồng)"), default=0)
    budget_national_vnd = models.PositiveBigIntegerField(
        _("kinh phí khuyến công quốc gia (đồng)"), default=0
    )
    budget_enterprise_vnd = models.PositiveBigIntegerField(
        _("doanh nghiệp đóng góp (đồng)"), default=0
    )
    budget_other_vnd = models.PositiveBigIntegerField(_("nguồn khác (đồng)"), default=0)
    participants = models.ManyToManyField(
        "facilities.Facility", through="Participation", related_name="activities", blank=True
    )
    # The one-time token of the creation form that stored this activity (Assessment.form_token):
    # the same form sent again (back button, double click) finds it instead of a duplicate.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["form_token", "version"])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("hoạt động chương trình")
        verbose_name_plural = _("hoạt động chương trình")
        ordering = ["-date", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessments:activity_detail", args=[self.pk])

    def change_history(self, limit: int = 10, facilities=None) -> list[dict]:
        """The latest `limit` changes of the activity and of its participants (facilities added,
        removed, their number of people changed), newest first, as core.history.history_entries;
        a participant's entries name its facility. `facilities`, when given, keeps only the
        participant entries of those facilities (a facility's representative sees no other's).
        An edit of the activity that changed none of its own fields (only its participants) is
        left out: the participants' entries say what changed."""
        entries = [
            entry
            for entry in (history_entries(self, limit) if self.history.exists() else [])
            if entry["kind"] != "~" or entry["changes"] or entry["reason"]
        ]
        records = Participation.history.filter(activity_id=self.pk)
        if facilities is not None:
            records = records.filter(facility_id__in=facilities.values("pk"))
        by_participation: dict[int, list] = {}
        for record in records.select_related("history_user").order_by("-history_id"):
            by_participation.setdefault(record.id, []).append(record)
        names = dict(
            Facility.objects.filter(
                pk__in={group[0].facility_id for group in by_participation.values()}
            ).values_list("pk", "name")
        )
        for participation_records in by_participation.values():
            name = names.get(participation_records[0].facility_id, "")
            for entry in entries_from_records(participation_records, Participation, limit):
                what = PARTICIPATION_HISTORY_TYPES.get(
                    entry["kind"], PARTICIPATION_HISTORY_TYPES["~"]
                )
                entry["type"] = what % {"facility": name}
                entries.append(entry)
        entries.sort(key=lambda entry: entry["date"], reverse=True)
        return entries[:limit]

    @property
    def total_budget_vnd(self) -> int:
        return (
            self.budget_province_vnd
            + self.budget_national_vnd
            + self.budget_enterprise_vnd
            + self.budget_other_vnd
        )


class Participation(models.Model):
    # The most people one facility sends to one activity: a large plant's whole shift in a
    # workshop; beyond it the figure is a typing error that would swamp the participant totals.
    MAX_PEOPLE = 10_000

    activity = models.ForeignKey(
        Activity, verbose_name=_("hoạt động chương trình"), on_delete=models.CASCADE
    )
    facility = models.ForeignKey(
        "facilities.Facility", verbose_name=_("cơ sở"), on_delete=models.PROTECT
    )
    people = models.PositiveIntegerField(_("số người tham gia"), default=1)
    # Who added or removed a participant, or changed its people: AWARE_PCT counts them
    # (DESIGN §4); the activity's page shows it (Activity.change_history).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cơ sở tham gia")
        verbose_name_plural = _("cơ sở tham gia")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "facility"],
                name="participation_uniq",
                violation_error_message=_("Cơ sở này đã có trong danh sách tham gia hoạt động."),
            )
        ]

    def __str__(self):
        return f"{self.facility} @ {self.activity}"

    def clean(self):
        errors = {}
        if self.people is not None and self.people > self.MAX_PEOPLE:
            errors["people"] = _("Số người tham gia của một cơ sở không được vượt quá %(max)s.") % {
                "max": format_number(self.MAX_PEOPLE)
            }
        facility, activity = self._related("facility"), self._related("activity")
        if facility is not None and activity is not None and activity.date:
            year = activity.date.year
            reason = facility.not_operating_reason(year)
            if reason:
                # Only facilities operating in the year count (DESIGN §4, AWARE_PCT).
                errors["facility"] = _(
                    "Cơ sở “%(facility)s” không hoạt động trong năm %(year)s của hoạt động "
                    "(%(reason)s)."
                ) % {"facility": facility.name, "year": year, "reason": reason}
        if errors:
            raise ValidationError(errors)

    def _related(self, name: str):
        """The facility or the activity, None while the row has none."""
        try:
            return getattr(self, name)
        except ObjectDoesNotExist:
            return None
