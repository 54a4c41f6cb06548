"""The main menu (sxsh_portal/navigation.py): what each role sees, the drop-down sections, and the
current section marked with `active` and aria-current."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from sxsh_portal.navigation import FLAT_MENU_MAX, build_menu

from .factories import AnnualReportFactory, UserFactory


def _urls(entries):
    return [link.url for entry in entries for link in entry.links]


def _active(entries):
    return [(entry.label, link.url) for entry in entries for link in entry.links if link.active]


def _group(entries, label):
    (entry,) = [entry for entry in entries if entry.label == label]
    return entry


def test_staff_menu_is_grouped_in_sections(staff):
    entries = build_menu(staff, "/")

    groups = [str(entry.label) for entry in entries if entry.is_group]
    assert groups == ["Cơ sở", "Báo cáo & đánh giá", "Chương trình", "Thống kê", "Quản trị"]
    assert [str(link.label) for link in _group(entries, "Cơ sở").links] == [
        "Danh sách cơ sở",
        "Nhập danh sách cơ sở từ tệp",
        "Cơ sở cần chọn xã/phường mới",
        "Khu/cụm công nghiệp",
        "Ngành ưu tiên",
    ]
    urls = _urls(entries)
    for name in ("reports:plan", "assessments:quality_findings", "assessments:deadline_list"):
        assert reverse(name) in urls
    # Only the superuser sees the Django admin.
    assert reverse("admin:index") not in urls


def test_superuser_sees_the_admin_and_the_staff_menu(db):
    admin = UserFactory(username="quantri", is_superuser=True, is_staff=True)

    urls = _urls(build_menu(admin, "/"))

    assert reverse("admin:index") in urls
    assert reverse("accounts:user_list") in urls


def test_official_sees_no_staff_only_page(official):
    entries = build_menu(official, "/")

    urls = _urls(entries)
    assert reverse("reports:dashboard") in urls
    assert reverse("facilities:list") in urls
    for name in (
        "facilities:import",
        "assessments:review_queue",
        "reports:plan",
        "accounts:user_list",
        "assessments:factor_list",
    ):
        assert reverse(name) not in urls, name
    assert "Quản trị" not in [str(entry.label) for entry in entries]


def test_facility_user_gets_a_short_flat_menu(facility_user):
    entries = build_menu(facility_user, "/")

    assert not any(entry.is_group for entry in entries)
    assert len(entries) <= FLAT_MENU_MAX
    assert [str(entry.link.label) for entry in entries] == [
        "Trang chủ",
        "Cơ sở của tôi",
        "Kết quả SXSH",
        "Báo cáo năm",
        "Đánh giá SXSH",
        "Hoạt động",
        "Thư viện giải pháp",
    ]
    assert reverse("reports:dashboard") not in _urls(entries)


def test_anonymous_visitor_has_no_menu():
    assert build_menu(AnonymousUser(), "/accounts/login/") == []


@pytest.mark.parametrize(
    ("path", "group", "url_name"),
    [
        ("/", None, "home"),
        ("/facilities/", "Cơ sở", "facilities:list"),
        ("/facilities/12/edit/", "Cơ sở", "facilities:list"),
        # The longest matching prefix wins: areas are not the facility list.
        ("/facilities/areas/3/edit/", "Cơ sở", "facilities:area_list"),
        ("/facilities/import/jobs/4/", "Cơ sở", "facilities:import"),
        ("/assessments/reports/queue/", "Báo cáo & đánh giá", "assessments:review_queue"),
        ("/assessments/reports/7/", "Báo cáo & đánh giá", "assessments:report_list"),
        ("/reports/plan/periods/new/", "Chương trình", "reports:plan"),
        ("/reports/files/9/", "Thống kê", "reports:list"),
        ("/accounts/users/new/", "Quản trị", "accounts:user_list"),
    ],
)
def test_current_section_of_a_staff_page(staff, path, group, url_name):
    entries = build_menu(staff, path)

    assert _active(entries) == [(group, reverse(url_name))]
    if group:
        assert _group(entries, group).active
        assert [e.label for e in entries if e.active] == [group]


def test_page_outside_the_menu_marks_nothing(staff):
    # The home page's "/" is a prefix of every path; it is current only on itself.
    assert _active(build_menu(staff, "/accounts/security/")) == []


def test_rendered_page_marks_the_current_link(client, staff):
    client.force_login(staff)

    html = client.get(reverse("assessments:review_queue")).content.decode()

    item = r'<a class="dropdown-item active" href="([^"]+)" aria-current="page"'
    current = re.findall(item, html)
    assert current == [reverse("assessments:review_queue")]
    toggles = re.findall(r'<button class="nav-link dropdown-toggle active"[^>]*>([^<]+)<', html)
    assert toggles == ["Báo cáo &amp; đánh giá"]
    assert html.count('aria-current="page"') == 1


def test_rendered_facility_page_marks_the_flat_link(client, facility_user, facility):
    report = AnnualReportFactory(facility=facility, year=2018)
    client.force_login(facility_user)

    html = client.get(reverse("assessments:report_detail", args=[report.pk])).content.decode()

    current = re.findall(r'<a class="nav-link active" href="([^"]+)" aria-current="page"', html)
    assert current == [reverse("assessments:report_list")]
    assert "dropdown-toggle active" not in html
