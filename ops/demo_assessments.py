"""Demo CP assessments with options, and programme activities, for 2016–2020.

`seed_demo_assessments(rng, facilities)` is called by the demo seeding after the facilities
exist. It draws everything from `rng` before touching the database, so a given seed gives the
same data; running it again adds nothing (assessments are keyed on facility, kind and start
date, activities on title and date).
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from assessments import history_notes
from assessments.models import (
    Activity,
    AnnualReport,
    Assessment,
    Option,
    Participation,
    WorkflowEvent,
    WorkflowState,
)
from assessments.models.amounts import facility_support_used, max_support
from assessments.models.assessment import BASELINE_CONSUMPTION
from core import notes
from core.data_version import data_changed

from .demo_workflow import demo_reviewer, log_steps, representatives

YEARS = range(2016, 2021)
# The history note of what the demo writes in bulk (as ops/demo_reports.py): a later edit then
# shows what it changed.
REASON = history_notes.DEMO_DATA_NOTE
CONSULTANTS = (
    "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
    "Trung tâm Sản xuất sạch Việt Nam (VNCPC)",
    "Viện Khoa học và Công nghệ Môi trường, ĐH Bách khoa Hà Nội",
    "Công ty TNHH Tư vấn Năng lượng và Môi trường Xanh",
)
FUNDING = (
    "Kinh phí khuyến công địa phương",
    "Kinh phí khuyến công quốc gia",
    "Kinh phí sự nghiệp môi trường của tỉnh",
)
# Unit prices (VND) used to value the physical savings of a demo option.
PRICE = {"kwh": 1_800, "coal_t": 2_200_000, "water_m3": 11_000, "material_t": 6_000_000}

# category -> (description, saving kind, (low, high) amount per year, payback range in years)
OPTION_TEMPLATES = {
    1: (
        ("Khắc phục rò rỉ hơi, nước và khí nén", "kwh", (15_000, 60_000), (0.1, 0.5)),
        (
            "Tắt thiết bị khi không sử dụng, bố trí lịch vận hành hợp lý",
            "kwh",
            (10_000, 40_000),
            (0, 0.2),
        ),
        ("Quản lý kho nguyên liệu, giảm hao hụt", "material_t", (5, 30), (0.1, 0.4)),
    ),
    2: (
        ("Dùng than cám loại 3 thay than loại 5 có nhiệt trị thấp", "coal_t", (40, 150), (0, 0.3)),
        (
            "Thay hóa chất chứa clo bằng hóa chất thân thiện môi trường",
            "material_t",
            (2, 10),
            (0.5, 1.5),
        ),
    ),
    3: (
        ("Lắp đồng hồ đo điện, hơi, nước cho từng công đoạn", "kwh", (30_000, 90_000), (0.5, 1.5)),
        ("Kiểm soát tỷ lệ không khí/nhiên liệu của lò hơi", "coal_t", (30, 120), (0.3, 1.0)),
    ),
    4: (
        ("Bảo ôn đường ống hơi và thiết bị gia nhiệt", "coal_t", (20, 90), (0.5, 1.5)),
        ("Lắp biến tần cho quạt, bơm và máy nén khí", "kwh", (60_000, 250_000), (1.0, 2.5)),
    ),
    5: (
        (
            "Thay lò hơi ghi xích hiệu suất thấp bằng lò hơi tầng sôi",
            "coal_t",
            (150, 500),
            (2.0, 4.0),
        ),
        ("Thay đèn huỳnh quang bằng đèn LED", "kwh", (40_000, 150_000), (1.0, 2.0)),
        ("Chuyển sang máy nhuộm tỷ lệ dung dịch thấp", "water_m3", (8_000, 30_000), (2.0, 4.0)),
    ),
    6: (
        ("Thu hồi nước ngưng về bồn cấp nước lò hơi", "coal_t", (20, 80), (0.5, 1.2)),
        ("Tuần hoàn nước làm mát, nước rửa ngược", "water_m3", (5_000, 25_000), (0.5, 2.0)),
    ),
    7: (
        (
            "Tận dụng xỉ than làm nguyên liệu sản xuất gạch không nung",
            "material_t",
            (50, 200),
            (1.0, 2.5),
        ),
        (
            "Tận thu bột giấy từ nước thải làm giấy bao bì cấp thấp",
            "material_t",
            (20, 80),
            (1.0, 3.0),
        ),
    ),
    8: (
        (
            "Thiết kế lại bao bì sản phẩm, giảm khối lượng vật liệu",
            "material_t",
            (5, 25),
            (0.5, 2.0),
        ),
    ),
}
SAVING_FIELD = {
    "kwh": "electricity_saving_kwh",
    "coal_t": "coal_saving_t",
    "water_m3": "water_saving_m3",
    "material_t": "material_saving_t",
}

ACTIVITY_PLANS = (  # kind, title pattern, people per facility, facilities
    (
        Activity.Kind.WORKSHOP,
        "Hội thảo nâng cao nhận thức về sản xuất sạch hơn năm {year}",
        (1, 3),
        (8, 15),
    ),
    (
        Activity.Kind.WORKSHOP,
        "Hội thảo giới thiệu mô hình SXSH ngành {sector} năm {year}",
        (1, 2),
        (5, 10),
    ),
    (
        Activity.Kind.TRAINING,
        "Khóa đào tạo cán bộ kỹ thuật về đánh giá SXSH năm {year}",
        (2, 4),
        (4, 8),
    ),
    (
        Activity.Kind.COMMUNICATION,
        "Phát sóng chuyên mục SXSH trên Đài PT-TH tỉnh năm {year}",
        (1, 1),
        (0, 0),
    ),
)
SECTOR_WORDS = ("giấy", "thép", "dệt nhuộm", "thực phẩm", "vật liệu xây dựng")


@dataclass
class AssessmentPlan:
    facility: object
    fields: dict
    options: list[dict] = field(default_factory=list)


def seed_demo_assessments(rng: random.Random, facilities: list) -> dict:
    """Create the demo assessments, options and activities; return how many were created."""
    assessments = _plan_assessments(rng, facilities)
    activities = _plan_activities(rng, facilities)
    with transaction.atomic():
        data_changed()  # bulk writes send no signals
        staff = demo_reviewer()
        people = representatives(plan.facility.pk for plan in assessments)
        created_assessments = sum(
            _save_assessment(plan, people.get(plan.facility.pk), staff) for plan in assessments
        )
        created_activities = sum(_save_activity(*plan) for plan in activities)
    return {"assessments_created": created_assessments, "activities_created": created_activities}


# --- assessments --------------------------------------------------------------------------


def _operating(facility, year: int) -> bool:
    established = facility.established_year or 0
    return established <= year and (facility.closed_year is None or facility.closed_year >= year)


def _assessable(facility, year: int, baselines: set) -> bool:
    """Operating in `year` and the year before, its baseline (Assessment.clean), of which it has
    an approved annual report (`baselines`: (facility id, year)) to hold the options' savings to
    (Assessment.approval_errors)."""
    return (
        _operating(facility, year)
        and _operating(facility, year - 1)
        and (facility.pk, year - 1) in baselines
    )


def _plan_assessments(rng, facilities) -> list[AssessmentPlan]:
    count = min(len(facilities), max(3, len(facilities) // 5))
    baselines = set(AnnualReport.objects.approved().values_list("facility_id", "year"))
    # The first facility (the demo `coso` account's) always has one, so its user sees the flow.
    # Others among those operating in the programme's years (not the ones registered since 2025).
    others = [f for f in facilities[1:] if any(_assessable(f, y, baselines) for y in YEARS)]
    chosen = facilities[:1] + rng.sample(others, min(len(others), max(0, count - 1)))
    plans = []
    for index, facility in enumerate(chosen):
        years = [y for y in YEARS if _assessable(facility, y, baselines)]
        if not years:
            continue
        year = rng.choice(years)
        state = _demo_state(index, count)
        plans.append(_plan_assessment(rng, facility, year, state))
    return plans


def _demo_state(index: int, count: int) -> str:
    """Mostly approved; the first returned (with a comment), the last two submitted and draft."""
    if index == 0:
        return WorkflowState.RETURNED
    if count > 3 and index == count - 1:
        return WorkflowState.DRAFT
    if count > 4 and index == count - 2:
        return WorkflowState.SUBMITTED
    return WorkflowState.APPROVED


def _plan_assessment(rng, facility, year: int, state: str) -> AssessmentPlan:
    detailed = rng.random() < 0.5
    start = date(year, rng.randint(2, 10), rng.randint(1, 28))
    days = rng.randint(28, 56) if detailed else rng.randint(2, 3)
    cost = rng.randrange(80, 201, 5) * 1_000_000 if detailed else rng.randrange(20, 41) * 1_000_000
    supported = min(Assessment.MAX_SUPPORT_VND, cost // 2 // 100_000 * 100_000)
    fields = {
        "kind": Assessment.Kind.DETAILED if detailed else Assessment.Kind.QUICK,
        "start_date": start,
        "end_date": start + timedelta(days=days),
        "consultant": rng.choice(CONSULTANTS),
        "baseline_year": year - 1,
        "funding_source": rng.choice(FUNDING),
        "total_cost_vnd": cost,
        "supported_amount_vnd": supported,
        "state": state,
    }
    plan = AssessmentPlan(facility, fields)
    categories = rng.sample(sorted(OPTION_TEMPLATES), rng.randint(3, 6) if detailed else 3)
    last_year = min(2020, facility.closed_year or 2020)  # options done while it operates
    plan.options = [_plan_option(rng, category, year, last_year) for category in sorted(categories)]
    _within_baseline(plan.options, facility, year - 1)
    return plan


def _within_baseline(options: list[dict], facility, baseline_year: int) -> None:
    """Cut the options' savings to what the facility can save (the rule of Option.clean: no
    more, alone or together, than it used in the baseline year): each to a share of that use
    (1 / (options + 1)), its money in proportion. An option saving what the facility did not use
    that year at all (the report leaves it empty: 0 used, savings_cap) is left out."""
    baseline = AnnualReport.objects.approved().filter(facility=facility, year=baseline_year).first()
    if baseline is None:
        return
    share = Decimal(1) / (len(options) + 1)
    unusable = set()  # ids of the options left out
    for option in options:
        for name, used_name in BASELINE_CONSUMPTION.items():
            amount, used = option.get(name), getattr(baseline, used_name) or 0
            if not amount or amount <= used * share:
                continue
            cut = int(used * share)
            if not cut:
                unusable.add(id(option))
                break
            ratio = Decimal(cut) / amount
            option[name] = Decimal(cut)
            for money in ("annual_saving_vnd", "investment_vnd"):
                option[money] = int(option[money] * ratio) // 100_000 * 100_000
    options[:] = [option for option in options if id(option) not in unusable]


def _plan_option(rng, category: int, year: int, last_year: int) -> dict:
    description, kind, (low, high), (pay_low, pay_high) = rng.choice(OPTION_TEMPLATES[category])
    amount = rng.randint(low, high)
    saving_vnd = amount * PRICE[kind] // 100_000 * 100_000
    screening = rng.choices(list(Option.Screening), weights=(7, 2, 1))[0]
    status = _option_status(rng, screening, year)
    started = status in (Option.Status.DONE, Option.Status.IN_PROGRESS)
    return {
        "category": category,
        "description": description,
        "screening": screening,
        "status": status,
        "implementation_year": min(last_year, year + rng.randint(0, 1)) if started else None,
        "investment_vnd": int(saving_vnd * rng.uniform(pay_low, pay_high)) // 100_000 * 100_000,
        "annual_saving_vnd": saving_vnd,
        SAVING_FIELD[kind]: Decimal(amount),
    }


def _option_status(rng, screening: str, year: int) -> str:
    if screening == Option.Screening.REJECT:
        return Option.Status.DROPPED
    if screening == Option.Screening.STUDY:
        return Option.Status.PLANNED
    if year >= 2020:
        return rng.choice((Option.Status.PLANNED, Option.Status.IN_PROGRESS))
    return rng.choices((Option.Status.DONE, Option.Status.IN_PROGRESS), weights=(4, 1))[0]


def _save_assessment(plan: AssessmentPlan, representative, staff) -> bool:
    # The 50 million is the facility's over all its assessments (Assessment.clean): a later one
    # gets what the facility's earlier ones left, possibly nothing.
    used = facility_support_used(plan.facility.pk)
    fields = {
        **plan.fields,
        "supported_amount_vnd": min(
            plan.fields["supported_amount_vnd"], max_support(plan.fields["total_cost_vnd"], used)
        ),
    }
    assessment, created = Assessment.objects.get_or_create(
        facility=plan.facility,
        kind=fields["kind"],
        start_date=fields["start_date"],
        defaults=fields,
    )
    if not created:
        return False
    _bulk_create_with_history([Option(assessment=assessment, **o) for o in plan.options])
    _log_demo_events(assessment, representative, staff)
    return True


def _log_demo_events(assessment, representative, staff) -> None:
    """Sent by the facility's representative a week after the assessment ended, reviewed by the
    demo staff member a week later (a draft has no step)."""
    state, steps = assessment.state, []
    Action = WorkflowEvent.Action
    sent = timezone.make_aware(datetime.combine(assessment.end_date, time(9)) + timedelta(days=7))
    reviewed = sent + timedelta(days=7)

    def event(action, to_state, by, at, comment=""):
        step = WorkflowEvent(
            assessment=assessment,
            action=action,
            from_state=WorkflowState.DRAFT if action == Action.SUBMIT else WorkflowState.SUBMITTED,
            to_state=to_state,
            by=by,
            comment=comment,
        )
        return step, at

    if state != WorkflowState.DRAFT:
        steps.append(event(Action.SUBMIT, WorkflowState.SUBMITTED, representative, sent))
    if state == WorkflowState.APPROVED:
        steps.append(event(Action.APPROVE, state, staff, reviewed))
    if state == WorkflowState.RETURNED:
        comment = "Đề nghị bổ sung số liệu tiêu thụ điện năm cơ sở và cách tính tiết kiệm."
        assessment.review_comment = comment
        assessment.save(update_fields=["review_comment"])
        steps.append(event(Action.RETURN, state, staff, reviewed, comment))
    log_steps(steps)


# --- activities ---------------------------------------------------------------------------


def _plan_activities(rng, facilities) -> list[tuple[dict, list[tuple[object, int]]]]:
    districts = sorted(
        {f.commune.parent for f in facilities if f.commune_id and f.commune.parent_id},
        key=lambda d: d.code,
    )
    plans = []
    for year in YEARS:
        operating = [f for f in facilities if _operating(f, year)]
        for kind, title, people, (low, high) in ACTIVITY_PLANS:
            fields = _activity_fields(rng, kind, title, year, districts)
            size = min(len(operating), rng.randint(low, high))
            chosen = rng.sample(operating, size)
            if year == 2016 and kind == Activity.Kind.WORKSHOP and facilities[0] in operating:
                chosen = [facilities[0], *(f for f in chosen if f != facilities[0])]
            plans.append((fields, [(f, rng.randint(*people)) for f in chosen]))
    return plans


def _activity_fields(rng, kind, title, year: int, districts) -> dict:
    budget = rng.randrange(20, 121, 5) * 1_000_000
    national = budget // 2 if rng.random() < 0.4 else 0
    enterprise = rng.randrange(0, 11) * 1_000_000 if kind == Activity.Kind.TRAINING else 0
    return {
        "kind": kind,
        "title": title.format(year=year, sector=rng.choice(SECTOR_WORDS)),
        "date": date(year, rng.randint(3, 11), rng.randint(1, 28)),
        "district": rng.choice(districts) if districts else None,
        "description": "Tổ chức theo Kế hoạch hành động Sản xuất sạch hơn trong công nghiệp "
        "giai đoạn 2016–2020 của tỉnh.",
        "budget_province_vnd": budget - national,
        "budget_national_vnd": national,
        "budget_enterprise_vnd": enterprise,
    }


def _save_activity(fields: dict, participants) -> bool:
    activity, created = Activity.objects.get_or_create(
        title=fields["title"], date=fields["date"], defaults=fields
    )
    if created:
        _bulk_create_with_history(
            [Participation(activity=activity, facility=f, people=n) for f, n in participants]
        )
    return created


def _bulk_create_with_history(rows: list) -> None:
    """Insert `rows` (of one model) in bulk with their creation in history: the system's (no
    user), with the demo's note."""
    if rows:
        bulk_create_with_history(
            rows, type(rows[0]), default_change_reason=notes.stored(REASON), default_user=None
        )
