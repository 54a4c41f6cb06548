"""User.has_role and User.is_staff_or_official: the role checks written once, used by the
decorators of accounts/access.py, Facility.objects.visible_to and the API permission."""

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from accounts.models import Role
from reports.api.views import IsStaffOrOfficial

from ..factories import UserFactory


def _api_allows(user) -> bool:
    request = RequestFactory().get("/api/v1/")
    request.user = user
    return IsStaffOrOfficial().has_permission(request, None)


def test_staff_and_officials_pass(staff, official):
    assert staff.is_staff_or_official
    assert official.is_staff_or_official


def test_facility_users_do_not_pass(facility_user):
    assert not facility_user.is_staff_or_official


def test_a_superuser_counts_as_staff(db):
    admin = UserFactory(username="quantri", role=Role.FACILITY, is_superuser=True)
    assert admin.has_role(Role.STAFF)
    assert admin.is_staff_or_official
    assert not admin.has_role(Role.OFFICIAL)


def test_an_inactive_user_has_no_role(staff):
    staff.is_active = False
    assert not staff.has_role(Role.STAFF)
    assert not staff.is_staff_or_official


def test_the_api_permission_is_the_same_check(staff, official, facility_user):
    for user in (staff, official, facility_user):
        assert _api_allows(user) == user.is_staff_or_official
    assert not _api_allows(AnonymousUser())
