"""The records of one facility in each workflow state, for the access matrix and the page crawls."""

import pytest

from accounts import tokens
from accounts.models import Role
from assessments.models import (
    ConversionFactor,
    GridEmissionFactor,
    LibraryExample,
    Participation,
    PlanPeriod,
)
from facilities.models import ImportJob, IndustrialArea
from reports.models import Indicator

from ..factories import (
    ActivityFactory,
    AnnualReportFactory,
    AssessmentFactory,
    OptionFactory,
    UserFactory,
)
from ..reports.report_view_helpers import make_report


def make_records(facility) -> dict:
    """Annual reports and assessments of `facility` (draft, submitted, approved), an option of the
    draft assessment and an activity the facility took part in."""
    records = {"facility": facility}
    for year, state in ((2019, "draft"), (2020, "submitted"), (2018, "approved")):
        records[f"report_{state}"] = AnnualReportFactory(facility=facility, year=year, state=state)
        # Three assessments within the 50 million a facility gets in all (TTLT 221/2012).
        records[f"assessment_{state}"] = AssessmentFactory(
            facility=facility, state=state, supported_amount_vnd=15_000_000
        )
    records["option"] = OptionFactory(assessment=records["assessment_draft"], status="planned")
    # Held by the facility's province (Activity.province), as its staff's form would place it.
    records["activity"] = ActivityFactory(province=facility.province)
    Participation.objects.create(activity=records["activity"], facility=facility, people=2)
    return records


@pytest.fixture
def own_records(facility):
    return make_records(facility)


@pytest.fixture
def other_records(other_facility):
    return make_records(other_facility)


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri_test", role=Role.STAFF, is_staff=True, is_superuser=True)


@pytest.fixture
def staff_records(staff, db):
    """For the URLs that are not facility-scoped: URL name -> the record its int parameter names."""
    job = ImportJob.objects.create(
        file_path="imports/lon.csv", original_name="lon.csv", state="validated", requested_by=staff
    )
    indicator = Indicator.objects.first()
    return {
        "accounts:user_two_factor_reset": UserFactory(username="canbo_khac"),
        "accounts:user_send_link": UserFactory(username="coso_moi", role=Role.FACILITY),
        "accounts:user_tokens": staff,
        "accounts:api_token_revoke": tokens.issue(staff, "Máy chủ thống kê")[0],
        "facilities:import_job": job,
        "facilities:import_job_progress": job,
        "facilities:import_job_confirm": job,
        "facilities:area_edit": IndustrialArea.objects.create(name="KCN Quế Võ", kind="kcn"),
        "facilities:area_delete": IndustrialArea.objects.create(name="KCN Tiên Sơn", kind="kcn"),
        "assessments:factor_edit": ConversionFactor.objects.first(),
        "assessments:grid_factor_edit": GridEmissionFactor.objects.first(),
        **dict.fromkeys(
            ["assessments:library_example_edit", "assessments:library_example_visibility"],
            LibraryExample.objects.create(
                division="23",
                category=4,
                description="Thay lò gạch thủ công bằng lò tuynel",
                source="Sổ tay SXSH ngành gạch – VNCPC",
            ),
        ),
        "assessments:library_option_visibility": OptionFactory(),
        "reports:period_edit": PlanPeriod.objects.first(),
        "reports:indicator_create": PlanPeriod.objects.first(),
        "reports:indicator_edit": indicator,
        "reports:indicator_values": indicator,
        **dict.fromkeys(
            ["reports:detail", "reports:progress", "reports:download", "reports:delete"],
            make_report(by=staff),
        ),
    }
