"""Optimistic locking of the shared reference data staff edit: conversion and grid factors,
data-quality rules and the library's curated examples. Of two people who loaded the same edit
page, the second to save gets a conflict message and the first one's change is not reverted."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import ConversionFactor, GridEmissionFactor, LibraryExample, QualityRule
from facilities.models import IndustryCode

from ..factories import UserFactory
from ..locking_helpers import loaded_form_data, logged_in

pytestmark = pytest.mark.django_db
FACTOR_CONFLICT = "Hệ số này vừa được người khác cập nhật"
RULE_CONFLICT = "Quy tắc này vừa được người khác cập nhật"
EXAMPLE_CONFLICT = "Giải pháp này vừa được người khác cập nhật"
RELOAD = "vui lòng tải lại trang và nhập lại thay đổi"


def page_data(response) -> dict:
    """What the browser posts back unchanged, decimals written as the pages write them (a decimal
    comma: a dot is read as the thousands separator)."""
    data = loaded_form_data(response)
    return {
        name: str(value).replace(".", ",") if isinstance(value, Decimal) else value
        for name, value in data.items()
    }


@pytest.fixture
def two_staff(staff):
    return logged_in(staff), logged_in(UserFactory(username="canbo_hai", role="staff"))


def assert_refused(response, conflict, record):
    assert response.status_code == 200
    assert conflict in response.text and RELOAD in response.text
    form = response.context["form"]  # the latest values, to be edited again
    assert not form.is_bound
    assert f'name="version" value="{record.version}"' in response.text


# --- conversion and grid factors ------------------------------------------------------------


def test_a_factor_saved_meanwhile_is_not_reverted(two_staff):
    factor = ConversionFactor.objects.get(carrier="electricity")
    url = reverse("assessments:factor_edit", args=[factor.pk])
    first, second = two_staff
    first_data, second_data = page_data(first.get(url)), page_data(second.get(url))
    assert first_data["version"] == second_data["version"] == factor.version
    new_toe = factor.toe_per_unit * 2  # within the plausible range of the shipped default

    saved = first.post(url, {**first_data, "toe_per_unit": str(new_toe).replace(".", ",")})
    assert saved.status_code == 302
    response = second.post(url, {**second_data, "source": "Nguồn khác"})

    factor.refresh_from_db()
    assert_refused(response, FACTOR_CONFLICT, factor)
    assert factor.toe_per_unit == new_toe  # the first change stands
    assert factor.source != "Nguồn khác"  # the second is not saved
    assert factor.version == first_data["version"] + 1
    assert response.context["form"].initial["toe_per_unit"] == new_toe
    # The seeded value and the first edit; no record of the refused save.
    assert factor.history.count() == 2


def test_a_grid_factor_saved_meanwhile_is_not_reverted(two_staff):
    factor = GridEmissionFactor.objects.order_by("year").first()
    url = reverse("assessments:grid_factor_edit", args=[factor.pk])
    first, second = two_staff
    first_data, second_data = page_data(first.get(url)), page_data(second.get(url))
    new_value = factor.t_co2_per_mwh * 2

    saved = first.post(url, {**first_data, "t_co2_per_mwh": str(new_value).replace(".", ",")})
    assert saved.status_code == 302
    response = second.post(url, {**second_data, "source": "Nguồn khác"})

    factor.refresh_from_db()
    assert_refused(response, FACTOR_CONFLICT, factor)
    assert (factor.t_co2_per_mwh, factor.source) == (new_value, first_data["source"])


def test_factor_edits_one_after_another_are_saved(client, staff):
    factor = ConversionFactor.objects.get(carrier="electricity")
    url = reverse("assessments:factor_edit", args=[factor.pk])
    client.force_login(staff)
    for source in ("Nguồn một", "Nguồn hai"):
        data = page_data(client.get(url))
        assert client.post(url, {**data, "source": source}).status_code == 302
        factor.refresh_from_db()
        assert factor.source == source


# --- data-quality rules ---------------------------------------------------------------------


def test_a_rule_saved_meanwhile_is_not_reverted(two_staff):
    rule = QualityRule.objects.get(code="OUTPUT_NO_ENERGY")
    url = reverse("assessments:quality_rule_edit", args=[rule.pk])
    first, second = two_staff
    first_data, second_data = page_data(first.get(url)), page_data(second.get(url))
    assert first_data["version"] == rule.version and first_data["enabled"] == "on"
    other = "error" if rule.severity != "error" else "info"

    saved = first.post(url, {k: v for k, v in first_data.items() if k != "enabled"})
    assert saved.status_code == 302
    response = second.post(url, {**second_data, "severity": other})

    rule.refresh_from_db()
    assert_refused(response, RULE_CONFLICT, rule)
    assert not rule.enabled  # the first change stands
    assert rule.severity != other  # the second is not saved
    assert rule.history.filter(history_type="~").count() == 1


def test_a_rule_posted_back_unchanged_is_not_saved(client, staff):
    rule = QualityRule.objects.get(code="OUTPUT_NO_ENERGY")
    url = reverse("assessments:quality_rule_edit", args=[rule.pk])
    client.force_login(staff)
    response = client.post(url, page_data(client.get(url)), follow=True)
    assert "không có thay đổi" in response.text
    assert not rule.history.filter(history_type="~").exists()


def test_rule_edits_one_after_another_are_saved(client, staff):
    rule = QualityRule.objects.get(code="OUTPUT_NO_ENERGY")
    url = reverse("assessments:quality_rule_edit", args=[rule.pk])
    client.force_login(staff)
    for severity in ("error", "info"):
        data = page_data(client.get(url))
        assert client.post(url, {**data, "severity": severity}).status_code == 302
        rule.refresh_from_db()
        assert rule.severity == severity


# --- the library's curated examples ---------------------------------------------------------


@pytest.fixture
def example():
    return LibraryExample.objects.create(
        division="23",
        category=4,
        description="Chuyển lò thủ công sang lò tuynel",
        investment_vnd=1_500_000_000,
        toe=Decimal("120.5"),
        source="Sổ tay SXSH ngành gạch – VNCPC",
    )


@pytest.fixture
def brick():
    return IndustryCode.objects.get_or_create(
        version="VSIC2018", code="23", defaults={"name": "Sản xuất gạch", "level": 2}
    )[0]


def test_an_example_saved_meanwhile_is_not_reverted(two_staff, brick, example):
    url = reverse("assessments:library_example_edit", args=[example.pk])
    first, second = two_staff
    first_data, second_data = page_data(first.get(url)), page_data(second.get(url))
    assert first_data["version"] == second_data["version"] == example.version

    saved = first.post(url, {**first_data, "description": "Lò tuynel liên tục"})
    assert saved.status_code == 302
    response = second.post(url, {**second_data, "source": "Nguồn khác"})

    example.refresh_from_db()
    assert_refused(response, EXAMPLE_CONFLICT, example)
    assert example.description == "Lò tuynel liên tục"  # the first change stands
    assert example.source == "Sổ tay SXSH ngành gạch – VNCPC"  # the second is not saved
    assert example.history.count() == 2  # created, then the first edit only


def test_example_hidden_meanwhile_refuses_the_old_form(client, staff, brick, example):
    """A save through the ORM (hiding it from the library) between the page's load and its
    post also counts: the post is refused and hides nothing back."""
    url = reverse("assessments:library_example_edit", args=[example.pk])
    client.force_login(staff)
    data = page_data(client.get(url))
    meanwhile = LibraryExample.objects.get(pk=example.pk)
    meanwhile.hidden = True
    meanwhile.save()
    response = client.post(url, {**data, "description": "Sửa muộn"})
    example.refresh_from_db()
    assert_refused(response, EXAMPLE_CONFLICT, example)
    assert example.description == "Chuyển lò thủ công sang lò tuynel" and example.hidden


def test_example_edits_one_after_another_are_saved(client, staff, brick, example):
    url = reverse("assessments:library_example_edit", args=[example.pk])
    client.force_login(staff)
    for description in ("Lần một", "Lần hai"):
        data = page_data(client.get(url))
        assert client.post(url, {**data, "description": description}).status_code == 302
        example.refresh_from_db()
        assert example.description == description
    assert example.toe == Decimal("120.5")  # the unchanged decimal is posted back as it was
