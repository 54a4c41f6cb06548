"""The benchmark export (tax code, name, address and score of each facility) and the outgoing
register export are logged in the audit log, as the registry and findings exports are: who,
when, from where, which file. Through the HTTP client."""

import pytest
from django.urls import reverse

from core.models import AuditEvent

from ..factories import FacilityFactory, IndustryCodeFactory
from .indicator_helpers import report

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
CLIENT = "198.51.100.45"
YEAR = 2018


@pytest.fixture
def scored(db):
    division = IndustryCodeFactory(code="23")
    for k in range(1, 11):
        report(FacilityFactory(industry=division), YEAR, coal_t=10 * k)


def test_the_benchmark_export_is_logged(client, official, scored):
    client.force_login(official)
    url = reverse("reports:sector_scores_export")
    response = client.get(url, {"year": YEAR}, REMOTE_ADDR=CLIENT)
    assert response.status_code == 200
    [event] = AuditEvent.objects.filter(action=Action.BENCHMARK_EXPORT)
    assert (event.actor, event.client_address) == (official, CLIENT)
    assert event.target == "sector_scores"
    assert event.detail == {"format": "xlsx", "year": YEAR}


def test_a_refused_benchmark_export_is_not_logged(client, official, scored):
    client.force_login(official)
    url = reverse("reports:sector_scores_export")
    assert client.get(url, {"year": "abc"}).status_code == 400
    assert not AuditEvent.objects.filter(action=Action.BENCHMARK_EXPORT).exists()


def test_the_register_export_is_logged(client, staff):
    client.force_login(staff)
    response = client.get(reverse("reports:register_export"), REMOTE_ADDR=CLIENT)
    assert response.status_code == 200
    [event] = AuditEvent.objects.filter(action=Action.REGISTER_EXPORT)
    assert (event.actor, event.client_address) == (staff, CLIENT)
    assert event.target == "outgoing_register"
    assert event.detail == {"format": "xlsx"}


def test_the_admin_labels_the_exports(client, staff, scored):
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    client.get(reverse("reports:sector_scores_export"), {"year": YEAR})
    client.get(reverse("reports:register_export"))
    changelist = reverse("admin:core_auditevent_changelist")
    for action, target in [
        (Action.BENCHMARK_EXPORT, "sector_scores"),
        (Action.REGISTER_EXPORT, "outgoing_register"),
    ]:
        listed = client.get(changelist, {"action": action}).text
        assert str(action.label) in listed
        assert f'<td class="field-target">{target}</td>' in listed
