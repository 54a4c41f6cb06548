"""accounts:audit_log — "Nhật ký kiểm toán", the append-only audit log (core.audit) read by the
Sở's staff in the portal itself: newest first, paged, filtered by action, account and dates,
each entry's detail in words (core.audit.detail_rows, as in the admin). Staff and superusers
only; in a national installation a province's staff read the entries of the accounts they
manage (accounts.audit.visible_events)."""

import re
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.audit import visible_events
from accounts.models import Role
from core.audit import record
from core.models import AuditEvent

from ..assessments.national_helpers import two_province_facilities
from ..factories import FacilityFactory, UserFactory

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
URL = reverse("accounts:audit_log")
BAC_NINH, HAI_PHONG = "24", "31"  # 2025 province codes (DOMAIN.md)


def forget_account_entries():
    """Drop the entries the factories' accounts wrote when created (accounts.audit), so that
    the page lists only the test's own."""
    AuditEvent.objects.filter(
        action__in=[Action.ACCOUNT_CREATED, Action.FACILITY_LINKS_CHANGED]
    ).delete()


def entry(actor=None, action=Action.REGISTRY_EXPORT, at=None, **fields) -> AuditEvent:
    """An entry as core.audit.record writes it, at a chosen local time."""
    forget_account_entries()
    when = timezone.make_aware(at) if at is not None else timezone.now()
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=actor.username if actor is not None else "",
        action=action,
        at=when,
        province=actor.data_province if actor is not None else "",
        **fields,
    )


def rows(response) -> list[str]:
    """The table's rows as plain text."""
    body = response.text.split('id="audit-table"', 1)[1].split("</tbody>", 1)[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row.split("</tr>", 1)[0]).split())
        for row in body.split("<tr>")[2:]
    ]


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri_nk", role=Role.STAFF, is_staff=True, is_superuser=True)


@pytest.fixture
def national(settings):
    settings.PORTAL_SCOPE = "national"


# --- Who may read it ------------------------------------------------------------------------------


def test_it_works(client, staff, facility_user):
    entry(staff, at=datetime(2026, 3, 5, 14, 7), target="facilities", client_address="192.0.2.7")
    entry(
        facility_user,
        Action.REPORT_DOWNLOAD,
        at=datetime(2026, 3, 6, 9, 30),
        target="report #4 bao-cao-2025.pdf",
    )
    client.force_login(staff)

    response = client.get(URL)

    assert response.status_code == 200
    assert "Nhật ký kiểm toán" in response.text
    newest, older = rows(response)
    # The target in words: the model or the list, never its code.
    assert newest.startswith(
        "06/03/2026 09:30 coso_test Lê Văn Cơ Sở Tải tệp báo cáo Tệp báo cáo bao-cao-2025.pdf"
    )
    assert older.startswith("05/03/2026 14:07 canbo_test Nguyễn Thị Cán Bộ")
    assert "Xuất sổ đăng ký cơ sở Sổ đăng ký cơ sở 192.0.2.7" in older


def test_it_names_the_system_and_a_deleted_account(client, staff):
    entry(None, Action.REPORT_REMINDER)
    AuditEvent.objects.create(actor=None, actor_username="da_xoa", action=Action.ROLE_CHANGED)
    client.force_login(staff)

    deleted, system = rows(client.get(URL))

    assert "Hệ thống" in system
    assert "da_xoa" in deleted


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.MINISTRY, Role.FACILITY])
def test_it_requires_staff(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(URL).status_code == 403


def test_a_superuser_reads_it(client, superuser, staff):
    entry(staff)
    client.force_login(superuser)
    assert "canbo_test" in client.get(URL).text


def test_it_edits_nothing(client, staff):
    event = entry(staff, target="facilities")
    client.force_login(staff)
    assert client.post(URL, {"target": "xóa dấu vết"}).status_code == 405
    event.refresh_from_db()
    assert event.target == "facilities"
    assert AuditEvent.objects.count() == 1


def test_the_users_page_links_to_it(client, staff):
    client.force_login(staff)
    assert f'href="{URL}"' in client.get(reverse("accounts:user_list")).text


# --- A national installation: a province's staff read their own accounts' entries -------------


@pytest.fixture
def provinces(national):
    """Staff of Bắc Ninh and Hải Phòng, a Hải Phòng official, a Bắc Ninh facility's account."""
    staff_bn = UserFactory(username="canbo_bn", role=Role.STAFF, province=BAC_NINH)
    staff_hp = UserFactory(username="canbo_hp", role=Role.STAFF, province=HAI_PHONG)
    official_hp = UserFactory(username="lanhdao_hp", role=Role.OFFICIAL, province=HAI_PHONG)
    coso_bn = UserFactory(username="coso_bn", role=Role.FACILITY)
    coso_bn.facilities.add(FacilityFactory())  # the factory's facilities are in Bắc Ninh
    for actor in (staff_bn, staff_hp, official_hp, coso_bn, None):
        entry(actor, target=f"by {actor.username if actor else 'system'}")
    return staff_bn, staff_hp


def test_a_provinces_staff_read_only_their_accounts_entries(client, provinces):
    staff_bn, staff_hp = provinces
    client.force_login(staff_hp)

    text = " ".join(rows(client.get(URL)))

    assert "by canbo_hp" in text  # their own
    assert "by lanhdao_hp" in text
    for hidden in ("by canbo_bn", "by coso_bn", "by system"):
        assert hidden not in text


def test_the_other_provinces_staff_read_theirs(client, provinces):
    staff_bn, _staff_hp = provinces
    client.force_login(staff_bn)

    text = " ".join(rows(client.get(URL)))

    assert "by canbo_bn" in text
    assert "by coso_bn" in text
    for hidden in ("by canbo_hp", "by lanhdao_hp", "by system"):
        assert hidden not in text


def test_a_superuser_reads_every_province_and_the_system(client, provinces, superuser):
    client.force_login(superuser)
    text = " ".join(rows(client.get(URL)))
    for shown in ("canbo_bn", "canbo_hp", "lanhdao_hp", "coso_bn", "system"):
        assert f"by {shown}" in text


def test_visible_events_is_the_one_rule(provinces, superuser, staff):
    staff_bn, staff_hp = provinces
    forget_account_entries()
    targets = lambda user: set(visible_events(user).values_list("target", flat=True))  # noqa: E731
    assert targets(staff_hp) == {"by canbo_hp", "by lanhdao_hp"}
    assert targets(staff_bn) == {"by canbo_bn", "by coso_bn"}
    assert len(targets(superuser)) == 5
    # A staff member without a province manages nobody but still reads their own entries.
    assert targets(staff) == set()
    entry(staff, target="by canbo_test")
    assert targets(staff) == {"by canbo_test"}
    assert not visible_events(UserFactory(role=Role.MINISTRY)).exists()


def test_an_entry_stays_with_the_province_it_was_written_in(provinces):
    """A staff member who moves to another province leaves their entries to the first one's
    staff; a facility account of two provinces' facilities is neither's."""
    staff_bn, staff_hp = provinces
    mover = UserFactory(username="chuyen_tinh", role=Role.STAFF, province=HAI_PHONG)
    record(None, Action.REGISTRY_EXPORT, actor=mover, target="while in Hải Phòng")
    mover.province = BAC_NINH
    mover.save()
    both = UserFactory(username="coso_hai_tinh", role=Role.FACILITY)
    both.facilities.add(*two_province_facilities())
    record(None, Action.REPORT_DOWNLOAD, actor=both, target="of two provinces")
    targets = lambda user: set(visible_events(user).values_list("target", flat=True))  # noqa: E731
    assert "while in Hải Phòng" in targets(staff_hp)
    assert "while in Hải Phòng" not in targets(staff_bn)
    assert "of two provinces" not in targets(staff_bn) | targets(staff_hp)


def test_a_one_province_installation_shows_every_entry_to_staff(staff, outsider):
    entry(outsider)
    entry(None)
    assert visible_events(staff).count() == AuditEvent.objects.count()


# --- Filters --------------------------------------------------------------------------------------


@pytest.fixture
def three_entries(staff, facility_user):
    entry(staff, Action.REGISTRY_EXPORT, at=datetime(2026, 1, 10, 8, 0), target="first")
    entry(facility_user, Action.REPORT_DOWNLOAD, at=datetime(2026, 2, 10, 23, 59), target="second")
    entry(staff, Action.REPORT_DOWNLOAD, at=datetime(2026, 3, 10, 0, 0), target="third")


def test_it_filters_by_action(client, staff, three_entries):
    client.force_login(staff)
    response = client.get(URL, {"action": Action.REPORT_DOWNLOAD})
    text = " ".join(rows(response))
    assert "second" in text and "third" in text
    assert "first" not in text


def test_it_filters_by_account(client, staff, three_entries):
    client.force_login(staff)
    text = " ".join(rows(client.get(URL, {"account": "COSO"})))
    assert "second" in text
    assert "first" not in text and "third" not in text


def test_it_filters_by_local_dates(client, staff, three_entries):
    client.force_login(staff)
    text = " ".join(rows(client.get(URL, {"since": "10/02/2026", "until": "10/02/2026"})))
    assert "second" in text  # 23:59 local time is still 10 February
    assert "first" not in text and "third" not in text
    text = " ".join(rows(client.get(URL, {"since": "11/02/2026"})))
    assert "third" in text and "second" not in text
    text = " ".join(rows(client.get(URL, {"until": "09/03/2026"})))
    assert "third" not in text and "first" in text and "second" in text


@pytest.mark.parametrize(
    "params",
    [{"since": "31/02/2026"}, {"since": "hôm qua"}, {"since": "10/03/2026", "until": "01/03/2026"}],
)
def test_a_bad_date_is_told_and_filters_nothing(client, staff, three_entries, params):
    client.force_login(staff)
    response = client.get(URL, {**params, "action": Action.REGISTRY_EXPORT})
    assert response.status_code == 200
    assert 'id="filter-errors"' in response.text
    assert len(rows(response)) == 3


def test_the_filter_form_keeps_what_was_typed(client, staff, three_entries):
    client.force_login(staff)
    page = client.get(URL, {"since": "10/02/2026", "account": "coso"}).text
    assert 'value="10/02/2026"' in page
    assert 'value="coso"' in page


def test_nothing_found_says_so(client, staff):
    client.force_login(staff)
    response = client.get(URL, {"account": "khong_co_ai"})
    assert "Không có mục nào trong nhật ký phù hợp." in response.text
    assert 'id="audit-table"' not in response.text


def test_paging_keeps_the_filters(client, staff, facility_user):
    for day in range(1, 31):
        entry(staff, Action.REPORT_DOWNLOAD, at=datetime(2026, 4, day, 10, 0), target=f"d{day}")
    entry(facility_user, Action.REPORT_DOWNLOAD, at=datetime(2026, 5, 1, 10, 0))
    client.force_login(staff)
    params = {"action": Action.REPORT_DOWNLOAD, "account": "canbo"}

    first = client.get(URL, params)
    assert len(rows(first)) == 25
    assert "action=report_download&amp;account=canbo&amp;page=2" in first.text
    second = client.get(URL, {**params, "page": 2})
    listed = [re.search(r" (d\d+) ", row).group(1) for row in rows(second)]
    assert listed == [f"d{day}" for day in range(5, 0, -1)]


# --- The detail, readably -------------------------------------------------------------------------


def test_a_reminders_detail_is_shown_in_words(client, staff, facility):
    entry(
        staff,
        Action.REPORT_REMINDER,
        target=f"facility #{facility.pk} {facility.name}",
        detail={"facility_id": facility.pk, "year": 2025, "recipients": 2},
    )
    client.force_login(staff)

    [row] = rows(client.get(URL))

    assert "Năm 2025" in row
    assert "Số người nhận 2" in row
    assert "Gửi thư nhắc nộp báo cáo năm" in row
    for key in ("recipients", "facility_id", "year"):
        assert key not in row


def test_a_role_change_reads_with_the_fields_labels(client, superuser):
    entry(
        superuser,
        Action.ROLE_CHANGED,
        detail={
            "before": {"role": "official", "province": BAC_NINH},
            "after": {"role": "staff", "province": BAC_NINH},
            "via": "manage.py add_user",
        },
    )
    client.force_login(superuser)

    [row] = rows(client.get(URL))

    assert f"Trước khi đổi Vai trò: {Role.OFFICIAL.label}" in row
    assert f"Sau khi đổi Vai trò: {Role.STAFF.label}" in row
    assert row.endswith("Thực hiện qua manage.py add_user")


# --- Queries --------------------------------------------------------------------------------------


def test_queries_do_not_grow_with_the_entries(client, staff, django_assert_max_num_queries):
    client.force_login(staff)
    others = [UserFactory(full_name=f"Người {n}") for n in range(25)]
    for user in others[:3]:
        entry(user, Action.REPORT_REMINDER, detail={"year": 2025, "recipients": 1})
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    for user in others[3:]:
        entry(user, Action.ROLE_CHANGED, detail={"before": {"role": "official"}})
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(rows(client.get(URL))) == 25


# --- The admin still shows the detail (the shared core.audit.detail_rows) -------------------------


def test_the_admin_still_shows_the_detail_readably(client, superuser):
    event = entry(superuser, Action.REPORT_REMINDER, detail={"year": 2025, "recipients": 3})
    client.force_login(superuser)
    page = client.get(reverse("admin:core_auditevent_change", args=[event.pk])).text
    shown = page.split('<table class="audit-detail">', 1)[1].split("</table>", 1)[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", shown).split())
    assert text == "Năm 2025 Số người nhận 3"


@pytest.mark.parametrize("params", [{"since": "01/01/0001"}, {"until": "31/12/9999"}])
def test_the_first_and_last_days_a_date_can_name(client, staff, three_entries, params):
    client.force_login(staff)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert len(rows(response)) == 3
