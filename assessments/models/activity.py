"""Programme activities (workshops, training, …) and the facilities that took part."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.data_version import data_changed
from core.history import entries_from_records, history_entries
from core.locking import Versioned
from core.numbers import format_number
from core.text import NFCCharField
from facilities.models import AdminUnit, Facility
from facilities.provinces import UnknownProvince, legacy_codes_of, successor_of_legacy
from facilities.territory import TERRITORY_CHANGE, portal_province_code, unit_label

from .amounts import ACTIVITY_AMOUNT_MAX, amount_errors
from .assessment import Assessment


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and officials see every activity; a facility's representative only those
        their facilities took part in. In a national installation a province's staff and
        officials see the activities their province holds (Activity.province) and, to read
        only (assessments.access), those any facility of their province took part in."""
        if user.is_authenticated and user.is_staff_or_official:
            province = user.scoped_province
            if province is None:
                return self
            facilities = Facility.objects.visible_to(user)
            taken_part = Participation.objects.filter(facility__in=facilities)
            return self.filter(
                Q(province=province or "-") | Q(pk__in=taken_part.values("activity_id"))
            )
        facilities = Facility.objects.visible_to(user)
        taken_part = Participation.objects.filter(facility__in=facilities)
        return self.filter(pk__in=taken_part.values("activity_id"))

    def held_in(self, year: int, until=None):
        """Those held in `year` by today (and by `until` when given): an activity planned later
        has not been held, no document counts it or its budget yet (Activity.takes_place_later).
        The year's activities every document and the delete page's effect count."""
        last = timezone.localdate() if until is None else min(until, timezone.localdate())
        return self.filter(date__year=year, date__lte=last)

    def rebuild_province(self) -> int:
        """Compute `province` again (holding_province) for these activities after their place
        moved to another province (a unit moved in the admin or by a reference load); returns
        how many changed. No history entry, no new version; the figures' token is replaced."""
        activities = list(self.select_related("ward__parent", "district__parent"))
        changed = []
        for activity in activities:
            province = activity.holding_province()
            if province != activity.province:
                activity.province = province
                changed.append(activity)
        if changed:
            Activity._base_manager.bulk_update(changed, ["province"], batch_size=500)
            data_changed(facilities=())
        return len(changed)

    def with_place_label(self):
        """Each with `district_label`: its old district as territory.unit_label names it (two
        "Huyện Châu Thành" with their old provinces), for Activity.place_label; no query more."""
        return self.annotate(district_label=unit_label("district"))


def district_province(old_province_code: str) -> str:
    """The 2025 province ("31") an old district of the pre-2025 province `old_province_code`
    ("30") lies in: that province's successor; "" when unknown."""
    try:
        return f"{successor_of_legacy(int(old_province_code)):02d}"
    except (UnknownProvince, TypeError, ValueError):
        return ""


def assessment_year_q(lookup: str, year: int, prefix: str = "") -> Q:
    """The one rule of an assessment's year: the year it ended, or, without an end date, the
    year it started; `lookup` compares it with `year` ("exact", "lte"). `prefix` reaches the
    assessment from another model ("assessment__")."""
    return Q(**{f"{prefix}end_date__year__{lookup}": year}) | Q(
        **{f"{prefix}end_date__isnull": True, f"{prefix}start_date__year__{lookup}": year}
    )


def assessments_of_year(year: int, province: str | None = None, until=None):
    """Approved assessments of the year (`assessment_year_q`; by `until` when given), of
    `province`'s facilities when given: those whose support the year's programme funding counts
    beside its activities' budgets (reports.files.activities.funding, Activity.deletion_effect)."""
    assessments = Assessment.objects.approved().filter(assessment_year_q("exact", year))
    if until is not None:
        assessments = assessments.filter(
            Q(end_date__lte=until) | Q(end_date__isnull=True, start_date__lte=until)
        )
    if province is not None:
        assessments = assessments.filter(facility__province=province)
    return assessments


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
    # The budget fields and the sources they are, as the documents' funding table names them
    # (reports.files.activities.ACTIVITY_SOURCES).
    BUDGET_SOURCES = {
        "budget_province_vnd": _("Ngân sách tỉnh"),
        "budget_national_vnd": _("Kinh phí khuyến công quốc gia"),
        "budget_enterprise_vnd": _("Doanh nghiệp đóng góp"),
        "budget_other_vnd": _("Nguồn khác"),
    }

    kind = models.CharField(_("loại hoạt động"), max_length=15, choices=Kind.choices)
    title = NFCCharField(_("tên hoạt động"), max_length=255)
    date = models.DateField(_("ngày tổ chức"))
    # Where it was held, in the units of its date (DESIGN §3, clean()): before 1 July 2025 an
    # old district, from then on a 2025 commune/ward (districts were abolished). Both optional.
    district = models.ForeignKey(
        "facilities.AdminUnit",
        verbose_name=_("huyện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ward = models.ForeignKey(
        "facilities.AdminUnit",
        verbose_name=_("xã/phường (từ 1/7/2025)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": AdminUnit.Level.COMMUNE, "scheme": AdminUnit.Scheme.V2025},
    )
    # The 2025 province ("24") that holds the activity (holding_province): its staff manage it,
    # a national installation's other provinces only read it (assessments.access).
    province = models.CharField(
        _("tỉnh/thành phố"), max_length=2, editable=False, default="", db_index=True
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
    # The history keeps `province` (not shown as a change: not editable) so that a deleted
    # activity without a place is still its holding province's (recently_deleted); records
    # written before it was kept have "" there.
    history = HistoricalRecords(excluded_fields=["form_token", "version"])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("hoạt động chương trình")
        verbose_name_plural = _("hoạt động chương trình")
        ordering = ["-date", "-id"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.province = self.holding_province()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "province"}
        super().save(*args, **kwargs)

    @property
    def place(self) -> AdminUnit | None:
        """Where it was held: its 2025 commune/ward, else its old district; None when unknown."""
        return self.ward if self.ward_id else self.district if self.district_id else None

    @property
    def place_label(self) -> str:
        """Where it was held as pages show it (`place`): its 2025 commune/ward's name, else its
        old district's label (territory.unit_label: "Huyện Châu Thành (Tỉnh Bến Tre)" when
        another old district bears its name; from `district_label` when the query annotated it,
        ActivityQuerySet.with_place_label, else one query); "" when unknown."""
        if self.ward_id:
            return self.ward.name
        if not self.district_id:
            return ""
        if not hasattr(self, "district_label"):
            self.district_label = (
                AdminUnit.objects.filter(pk=self.district_id)
                .annotate(label=unit_label())
                .values_list("label", flat=True)
                .first()
            )
        return self.district_label or ""

    def holding_province(self, user=None) -> str:
        """The 2025 province ("24") that holds the activity, the one rule for `province`: the
        province of its 2025 commune/ward; else that of its old district (the one it has, or
        `user`'s, when that province takes in the district's old province; else the old
        province's successor); without a place, the one it has, else `user`'s (a national
        installation's staff member who creates it), else the portal's ("" in a national
        installation, which has none: the activity is then only the Ministry's to read and its
        participants' provinces'). ActivityForm gives the user; a save without one keeps the
        rest."""
        scoped = getattr(user, "scoped_province", None) or ""
        if self.ward_id and self.ward.parent_id:
            return self.ward.parent.code
        if self.district_id:
            old = self.district.parent.code if self.district.parent_id else ""
            for province in (self.province, scoped):
                if province and old in legacy_codes_of(province):
                    return province
            return district_province(old) or self.province or scoped
        if self.province or scoped:
            return self.province or scoped
        # A national installation has no province of its own: nobody's but the Ministry's.
        return "" if settings.PORTAL_SCOPE == "national" else portal_province_code()

    def get_absolute_url(self):
        return reverse("assessments:activity_detail", args=[self.pk])

    def takes_place_later(self) -> bool:
        """Whether the activity's date is after today (timezone.localdate()): nobody has taken
        part in it yet, so it can have no participants (AWARE_PCT counts "taking part in an
        awareness/training activity dated in or before Y", DESIGN §4). It may be planned."""
        return bool(self.date) and self.date > timezone.localdate()

    def clean(self):
        super().clean()
        # A budget beyond what any activity costs is a typing error the document would print.
        errors = amount_errors(self, ACTIVITY_AMOUNT_MAX)
        try:
            self._check_place()
            self._check_date()
        except ValidationError as refusal:
            errors = refusal.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _check_date(self) -> None:
        # Participants are the facilities that took part: an activity that has some cannot be
        # dated after today (a new participant of a later activity: Participation.clean). A form
        # that saves the participants with the activity judges the date against those the save
        # leaves instead (participants_checked_on_save, check_participants_after_save).
        if (
            self.pk
            and not self.participants_checked_on_save
            and self.takes_place_later()
            and Participation.objects.filter(activity_id=self.pk).exists()
        ):
            raise ValidationError(
                {
                    "date": _(
                        "Hoạt động đã có cơ sở tham gia nên ngày tổ chức không thể sau hôm nay "
                        "(%(today)s): chỉ ghi cơ sở tham gia khi hoạt động đã diễn ra. Nếu hoạt "
                        "động được dời lịch, hãy bỏ các cơ sở tham gia và lưu trước, rồi mới đổi "
                        "ngày."
                    )
                    % {"today": f"{timezone.localdate():%d/%m/%Y}"}
                }
            )

    def _check_place(self) -> None:
        """An activity is placed by the units of its date (DESIGN §3): held on or after 1 July
        2025, in a 2025 commune/ward, never an abolished district; held before, in an old
        district, never a 2025 ward (which did not exist yet). Rows stored before the ward
        existed are left as they are until edited."""
        if not self.date:
            return
        if self.date >= TERRITORY_CHANGE and self.district_id:
            raise ValidationError(
                {
                    "district": _(
                        "Hoạt động tổ chức từ ngày 01/07/2025 không còn cấp huyện: hãy để trống "
                        "“Huyện cũ (trước 1/7/2025)” và chọn “Xã/phường mới (từ 1/7/2025)”."
                    )
                }
            )
        if self.date < TERRITORY_CHANGE and self.ward_id:
            raise ValidationError(
                {
                    "ward": _(
                        "Hoạt động tổ chức trước ngày 01/07/2025 ghi theo địa giới cũ: hãy để "
                        "trống “Xã/phường mới (từ 1/7/2025)” và chọn “Huyện cũ (trước "
                        "1/7/2025)”."
                    )
                }
            )

    # True when a form that saves the participants with the activity (ActivityForm) validates
    # it: clean() then leaves the date to check_participants_after_save, which that form calls
    # with the participants its save leaves, inside the save's transaction.
    participants_checked_on_save = False

    def check_participants_after_save(self, participants: int) -> None:
        """Raise ValidationError on `date` when the activity is dated after today and would
        still have `participants` (> 0) participants once saved: those kept and those added.
        Removing every participant in the same save lets it move to a later date."""
        if participants and self.takes_place_later():
            raise ValidationError(
                {
                    "date": _(
                        "Ngày tổ chức không thể sau hôm nay (%(today)s) khi hoạt động vẫn còn cơ "
                        "sở tham gia: chỉ ghi cơ sở tham gia khi hoạt động đã diễn ra. Nếu hoạt "
                        "động được dời lịch, hãy đánh dấu “Xóa” ở tất cả cơ sở tham gia và lưu "
                        "cùng với ngày mới."
                    )
                    % {"today": f"{timezone.localdate():%d/%m/%Y}"}
                }
            )

    def deletion_effect(self) -> "DeletionEffect | None":
        """What deleting the activity takes out of the programme's figures (the delete
        confirmation says it): its year; the number of the year's activities the document
        counts (`counted_alongside`) and that year's activity funding of each source the
        activity has money from, before and after, and the programme's total funding of the
        year (its activities' and its assessments' support, as the document); how many of its
        participants the holding province's figures count (every one in a one-province
        installation; in a national one its own facilities', as
        reports.files.activities.participant_filter) and how many other provinces' count. None
        for an activity not held yet (`takes_place_later`): no figure counts it, and it can have
        no participant."""
        if not self.pk or not self.date or self.takes_place_later():
            return None
        participations = Participation.objects.filter(activity_id=self.pk)
        total = participations.count()
        own = total
        if total and settings.PORTAL_SCOPE == "national":
            own = participations.filter(facility__province=self.province or "-").count()
        year = self.counted_alongside().aggregate(
            n=Count("pk"), **{name: Sum(name) for name in self.BUDGET_SOURCES}
        )
        # The programme's total funding as the document totals it (Funding.total_vnd): the
        # activities' budgets and the support to the year's approved assessments.
        support = assessments_of_year(self.date.year, self.counted_in()).aggregate(
            vnd=Sum("supported_amount_vnd")
        )
        funding = tuple(
            FundingChange(source=str(label), before=year[name] or 0, removed=getattr(self, name))
            for name, label in self.BUDGET_SOURCES.items()
            if getattr(self, name)
        )
        return DeletionEffect(
            year=self.date.year,
            own=own,
            others=total - own,
            awareness=self.kind in self.AWARENESS_KINDS,
            activities=year["n"],
            funding=funding,
            budget_vnd=self.total_budget_vnd,
            budget_before=sum(year[name] or 0 for name in self.BUDGET_SOURCES)
            + (support["vnd"] or 0),
        )

    def counted_alongside(self) -> "ActivityQuerySet":
        """The activities the year's document that counts this one (its number and budget)
        counts with it, itself included: those of its year held by today (an activity planned
        later is not counted until held), in a national installation those its holding province
        holds (every one when it has none: the national document). As
        reports.files.activities.activities_of and held_by count them."""
        activities = Activity.objects.held_in(self.date.year)
        province = self.counted_in()
        return activities if province is None else activities.filter(province=province)

    def counted_in(self) -> str | None:
        """The province whose document counts the activity's number and budget: in a national
        installation its holding province; None (the installation's document) otherwise, or
        when it has none (the national document)."""
        national = settings.PORTAL_SCOPE == "national"
        return self.province if national and self.province else None

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


@dataclass(frozen=True)
class FundingChange:
    """One budget source of the year's activities (Activity.BUDGET_SOURCES): its amount
    `before` a deletion and the amount the deleted activity takes out of it."""

    source: str
    before: int
    removed: int

    @property
    def after(self) -> int:
        return self.before - self.removed


@dataclass(frozen=True)
class DeletionEffect:
    """Activity.deletion_effect: the year whose figures change, the participants counted by the
    holding province (`own`) and by other provinces (`others`), whether the activity counts
    towards awareness (Activity.AWARENESS_KINDS: AWARE_PCT from its year on, DESIGN §4), the
    number of the year's activities counted before the deletion (`activities`), the change of
    each budget source it has money from (`funding`), its whole budget (`budget_vnd`, what
    the programme's total funding of the year loses) and that total before (`budget_before`:
    the activities' budgets and the support to the year's assessments, as the document)."""

    year: int
    own: int
    others: int
    awareness: bool
    activities: int
    funding: tuple[FundingChange, ...]
    budget_vnd: int
    budget_before: int

    @property
    def budget_after(self) -> int:
        return self.budget_before - self.budget_vnd

    @property
    def participants(self) -> int:
        return self.own + self.others

    @property
    def activities_after(self) -> int:
        return self.activities - 1


class Participation(models.Model):
    # A participant sends at least one person; the most one facility sends to one activity is a
    # large plant's whole shift in a workshop: beyond it the figure is a typing error that would
    # swamp the participant totals.
    MIN_PEOPLE = 1
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

    @classmethod
    def people_messages(cls) -> dict[str, str]:
        """What a number of people below MIN_PEOPLE ("min_value") or above MAX_PEOPLE
        ("max_value") is told, by the model and by the form field alike."""
        return {
            "min_value": _("Số người tham gia phải từ 1 trở lên."),
            "max_value": _("Số người tham gia của một cơ sở không được vượt quá %(max)s.")
            % {"max": format_number(cls.MAX_PEOPLE)},
        }

    def clean(self):
        errors = {}
        if self.people is not None and self.people < self.MIN_PEOPLE:
            errors["people"] = [self.people_messages()["min_value"]]
        elif self.people is not None and self.people > self.MAX_PEOPLE:
            errors["people"] = [self.people_messages()["max_value"]]
        facility, activity = self._related("facility"), self._related("activity")
        if activity is not None and activity.takes_place_later() and self._added_or_changed():
            # A participant took part: not in an activity still to come (DESIGN §4, AWARE_PCT).
            errors.setdefault("facility", []).append(
                _(
                    "Hoạt động diễn ra ngày %(date)s, chưa thể ghi cơ sở tham gia; hãy ghi sau "
                    "khi hoạt động đã diễn ra."
                )
                % {"date": f"{activity.date:%d/%m/%Y}"}
            )
        if facility is not None and activity is not None and activity.date:
            year = activity.date.year
            reason = facility.not_operating_reason(year)
            if reason:
                # Only facilities operating in the year count (DESIGN §4, AWARE_PCT).
                errors.setdefault("facility", []).append(
                    _(
                        "Cơ sở “%(facility)s” không hoạt động trong năm %(year)s của hoạt động "
                        "(%(reason)s)."
                    )
                    % {"facility": facility.name, "year": year, "reason": reason}
                )
        if errors:
            raise ValidationError(errors)

    def _added_or_changed(self) -> bool:
        """Whether saving this row records something new: a new participant, or a stored one
        whose activity, facility or number of people differs from the stored row."""
        if self._state.adding or self.pk is None:
            return True
        stored = (
            Participation.objects.filter(pk=self.pk)
            .values_list("activity_id", "facility_id", "people")
            .first()
        )
        return stored != (self.activity_id, self.facility_id, self.people)

    def _related(self, name: str):
        """The facility or the activity, None while the row has none."""
        try:
            return getattr(self, name)
        except ObjectDoesNotExist:
            return None
