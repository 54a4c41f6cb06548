"""is_representative: the one answer to "does this user act for this facility"."""

from accounts.models import Role
from facilities.access import can_write_facility, is_representative

from ..factories import AnnualReportFactory, AssessmentFactory, UserFactory


def test_it_works_for_a_linked_facility_user(facility_user, facility):
    assert is_representative(facility_user, facility)


def test_it_hides_other_facilities(facility_user, other_facility):
    assert not is_representative(facility_user, other_facility)


def test_staff_and_officials_are_not_representatives(staff, official, facility):
    assert not is_representative(staff, facility)
    assert not is_representative(official, facility)


def test_an_inactive_user_is_not_a_representative(facility_user, facility):
    facility_user.is_active = False
    facility_user.save()
    assert not is_representative(facility_user, facility)


def test_a_linked_superuser_is_not_a_representative(facility):
    admin = UserFactory(username="quantri", role=Role.FACILITY, is_superuser=True)
    admin.facilities.add(facility)
    assert not is_representative(admin, facility)


def test_write_access_is_staff_or_representative(staff, official, facility_user, facility):
    assert can_write_facility(staff, facility)
    assert can_write_facility(facility_user, facility)
    assert not can_write_facility(official, facility)


def test_the_workflows_use_it(facility_user, outsider, facility):
    # An annual report's and an assessment's editability both ask is_representative.
    report = AnnualReportFactory(facility=facility, year=2019, state="draft")
    assessment = AssessmentFactory(facility=facility, state="draft")
    for record in (report, assessment):
        assert record.is_editable_by(facility_user)
        assert not record.is_editable_by(outsider)
