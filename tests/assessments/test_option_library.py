"""The option library (issue 17 point 2): done options of approved assessments as anonymised
examples for their sector, curated examples, hiding, and the ten examples on the create page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import LibraryExample, Option
from facilities.models import IndustryCode

from ..factories import AssessmentFactory, FacilityFactory, OptionFactory

LIBRARY = reverse("assessments:option_library")


def division(code, name):
    return IndustryCode.objects.get_or_create(
        version="VSIC2018", code=code, defaults={"name": name, "level": 2}
    )[0]


@pytest.fixture
def brick():
    return division("23", "Sản xuất sản phẩm từ khoáng phi kim loại khác")


@pytest.fixture
def food():
    return division("10", "Sản xuất, chế biến thực phẩm")


@pytest.fixture
def kiln(brick):
    return FacilityFactory(
        name="Công ty Gạch Tuynel Bí Mật",
        tax_code="0109998887",
        address="Thôn Đông Xá, xã Kín Đáo",
        industry=brick,
    )


@pytest.fixture
def kiln_assessment(kiln):
    return AssessmentFactory(facility=kiln, state="approved")


def done(assessment, **kwargs):
    return OptionFactory(assessment=assessment, status="done", implementation_year=2019, **kwargs)


def rows(response):
    return [(e.kind, e.pk) for e in response.context["page"].object_list]


def test_the_library_is_anonymised_for_everyone(
    client, staff, official, facility_user, kiln, kiln_assessment
):
    option = done(kiln_assessment, description="Bảo ôn lò nung tuynel")
    for user in (staff, official, facility_user):
        client.force_login(user)
        response = client.get(LIBRARY)
        html = response.content.decode()
        assert response.status_code == 200
        assert option.description in html
        assert "Từ đánh giá SXSH đã duyệt, năm 2019" in html
        for secret in (kiln.name, kiln.tax_code, kiln.address):
            assert secret not in html


def test_only_done_options_of_approved_assessments(client, facility_user, kiln, kiln_assessment):
    shown = done(kiln_assessment, description="Thu hồi nhiệt khí thải lò")
    OptionFactory(assessment=kiln_assessment, status="planned", description="Dự kiến A")
    OptionFactory(assessment=kiln_assessment, status="in_progress", description="Đang làm B")
    for state in ("draft", "submitted", "returned"):
        done(AssessmentFactory(facility=kiln, state=state), description=f"Chưa duyệt {state}")
    client.force_login(facility_user)
    response = client.get(LIBRARY)
    assert rows(response) == [("option", shown.pk)]


def test_filters_by_sector_and_category(client, official, kiln_assessment, food):
    brick_1 = done(kiln_assessment, category=1)
    brick_4 = done(kiln_assessment, category=4)
    food_1 = done(AssessmentFactory(facility=FacilityFactory(industry=food)), category=1)
    curated = LibraryExample.objects.create(
        division="23", category=4, description="Lò tuynel", source="Sổ tay SXSH ngành gạch – VNCPC"
    )
    client.force_login(official)
    assert set(rows(client.get(LIBRARY, {"division": "23"}))) == {
        ("option", brick_1.pk),
        ("option", brick_4.pk),
        ("curated", curated.pk),
    }
    assert rows(client.get(LIBRARY, {"division": "23", "category": 4})) == [
        ("option", brick_4.pk),
        ("curated", curated.pk),
    ]
    assert rows(client.get(LIBRARY, {"category": 1})) == [
        ("option", brick_1.pk),
        ("option", food_1.pk),
    ]
    response = client.get(LIBRARY, {"division": "10", "category": 8})
    assert rows(response) == []
    assert "Chưa có giải pháp nào trong thư viện cho lựa chọn này." in response.content.decode()


def test_median_payback_and_saving_per_category(client, facility_user, kiln_assessment):
    # Category 1: paybacks 1, 2, 4 and none (no saving) -> median 2; savings 100, 50, 25, 0 (M)
    # -> median (25 + 50) / 2 = 37.5 M. Category 4: one curated example, payback given 3.
    for investment, saving in ((100, 100), (100, 50), (100, 25), (100, 0)):
        done(
            kiln_assessment,
            category=1,
            investment_vnd=investment * 1_000_000,
            annual_saving_vnd=saving * 1_000_000,
        )
    LibraryExample.objects.create(
        division="23",
        category=4,
        description="Lò tuynel",
        investment_vnd=900_000_000,
        annual_saving_vnd=200_000_000,
        payback_years=Decimal("3"),
        source="Sổ tay SXSH ngành gạch – VNCPC",
    )
    client.force_login(facility_user)
    response = client.get(LIBRARY, {"division": "23"})
    summaries = {s.category: s for s in response.context["summaries"]}
    assert set(summaries) == {1, 4}
    assert summaries[1].count == 4
    assert summaries[1].median_payback_years == Decimal(2)
    assert summaries[1].median_annual_saving_vnd == Decimal(37_500_000)
    assert (summaries[4].count, summaries[4].median_payback_years) == (1, Decimal(3))
    html = response.content.decode()
    assert "37,5 triệu đồng" in html  # Vietnamese notation


def test_toe_and_tco2_come_from_the_factors(client, facility_user, kiln_assessment):
    done(kiln_assessment, electricity_saving_kwh=1_000_000)  # 1,000,000 × 0.0001543 = 154.3 TOE
    client.force_login(facility_user)
    (example,) = client.get(LIBRARY).context["page"].object_list
    assert example.toe == Decimal("154.3")
    assert example.tco2 > 0
    assert example.payback_years == Decimal(2)


def test_staff_curate_an_example_with_history(client, staff, brick):
    client.force_login(staff)
    data = {
        "division": "23",
        "category": "4",
        "description": "Chuyển lò thủ công sang lò tuynel",
        "investment_vnd": "1.500.000.000",
        "annual_saving_vnd": "500.000.000",
        "payback_years": "",
        "toe": "120,5",
        "tco2": "",
        "source": "Sổ tay SXSH ngành gạch – VNCPC",
    }
    response = client.post(reverse("assessments:library_example_create"), data)
    assert response.status_code == 302
    example = LibraryExample.objects.get()
    assert (example.investment_vnd, example.toe) == (1_500_000_000, Decimal("120.5"))
    assert example.payback() == Decimal(3)
    edit = reverse("assessments:library_example_edit", args=[example.pk])
    client.post(edit, {**data, "source": "Sổ tay SXSH ngành vật liệu xây dựng – VNCPC"})
    example.refresh_from_db()
    assert example.source == "Sổ tay SXSH ngành vật liệu xây dựng – VNCPC"
    assert example.history.count() == 2
    assert example.history.first().history_user == staff
    html = client.get(LIBRARY).content.decode()
    assert "Sổ tay SXSH ngành vật liệu xây dựng – VNCPC" in html


def test_the_source_is_required(client, staff, brick):
    client.force_login(staff)
    data = {"division": "23", "category": "1", "description": "Quản lý nội vi"}
    response = client.post(reverse("assessments:library_example_create"), data)
    assert response.status_code == 200
    assert "source" in response.context["form"].errors
    assert not LibraryExample.objects.exists()


def test_staff_hide_and_show_again_an_option(client, staff, facility_user, kiln_assessment):
    option = done(kiln_assessment, description="Bảo ôn lò nung tuynel")
    url = reverse("assessments:library_option_visibility", args=[option.pk])
    client.force_login(staff)
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert not Option.objects.get(pk=option.pk).library_hidden  # the GET changes nothing
    response = client.post(url, {"hidden": "1", "reason": "Số liệu chưa đáng tin"})
    assert response.status_code == 302
    option.refresh_from_db()
    assert option.library_hidden
    record = option.history.first()
    assert (record.history_user, record.history_change_reason) == (staff, "Số liệu chưa đáng tin")

    staff_view = client.get(LIBRARY).content.decode()
    assert "Bảo ôn lò nung tuynel" in staff_view and "Hiển thị lại" in staff_view
    client.force_login(facility_user)
    assert rows(client.get(LIBRARY)) == []

    client.force_login(staff)
    client.post(url, {"hidden": "0"})
    option.refresh_from_db()
    assert not option.library_hidden
    client.force_login(facility_user)
    assert rows(client.get(LIBRARY)) == [("option", option.pk)]


def test_staff_hide_a_curated_example(client, staff, official):
    example = LibraryExample.objects.create(
        division="23", category=4, description="Lò tuynel", source="Sổ tay SXSH ngành gạch"
    )
    client.force_login(staff)
    url = reverse("assessments:library_example_visibility", args=[example.pk])
    assert client.post(url, {"hidden": "1"}).status_code == 302
    example.refresh_from_db()
    assert example.hidden and example.history.count() == 2
    client.force_login(official)
    assert rows(client.get(LIBRARY)) == []


def test_only_staff_curate_and_hide(client, official, facility_user, kiln_assessment):
    option = done(kiln_assessment)
    example = LibraryExample.objects.create(
        division="23", category=4, description="Lò tuynel", source="Sổ tay SXSH ngành gạch"
    )
    urls = [
        reverse("assessments:library_example_create"),
        reverse("assessments:library_example_edit", args=[example.pk]),
        reverse("assessments:library_example_visibility", args=[example.pk]),
        reverse("assessments:library_option_visibility", args=[option.pk]),
    ]
    for user in (official, facility_user):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403
            assert client.post(url, {"hidden": "1", "description": "Sửa"}).status_code == 403
    option.refresh_from_db()
    example.refresh_from_db()
    assert not option.library_hidden and not example.hidden
    assert example.description == "Lò tuynel"


def test_an_option_not_in_the_library_cannot_be_hidden(client, staff, kiln_assessment):
    planned = OptionFactory(assessment=kiln_assessment, status="planned")
    client.force_login(staff)
    url = reverse("assessments:library_option_visibility", args=[planned.pk])
    assert client.post(url, {"hidden": "1"}).status_code == 404


def test_the_library_needs_a_login(client):
    assert client.get(LIBRARY).status_code == 302


def test_the_create_page_shows_ten_examples_of_the_sector(
    client, facility_user, facility, brick, food, kiln_assessment
):
    facility.industry = brick
    facility.save()
    for toe_kwh in range(1, 10):  # nine options of the sector, TOE rising with the kWh
        done(kiln_assessment, electricity_saving_kwh=toe_kwh * 10_000)
    hidden = done(kiln_assessment, electricity_saving_kwh=999_999, library_hidden=True)
    other_sector = done(
        AssessmentFactory(facility=FacilityFactory(industry=food)),
        electricity_saving_kwh=5_000_000,
    )
    curated = [
        LibraryExample.objects.create(
            division="23", category=4, description=f"Mẫu {n}", source="Sổ tay SXSH ngành gạch"
        )
        for n in range(2)
    ]
    client.force_login(facility_user)
    response = client.get(reverse("assessments:assessment_create"))
    shown = response.context["library_examples"]
    assert len(shown) == 10
    kinds = [e.kind for e in shown]
    assert kinds == ["option"] * 9 + ["curated"]
    toes = [e.toe for e in shown[:9]]
    assert toes == sorted(toes, reverse=True)
    assert shown[9].pk == curated[0].pk
    assert hidden.pk not in {e.pk for e in shown if e.kind == "option"}
    assert other_sector.pk not in {e.pk for e in shown if e.kind == "option"}
    html = response.content.decode()
    assert f"{LIBRARY}?division=23" in html
    assert "Công ty Gạch Tuynel Bí Mật" not in html


def test_staff_see_the_examples_of_the_facility_chosen(client, staff, kiln, kiln_assessment):
    option = done(kiln_assessment)
    client.force_login(staff)
    url = reverse("assessments:assessment_create")
    assert client.get(url).context["library_examples"] == []
    shown = client.get(url, {"facility": kiln.pk}).context["library_examples"]
    assert [e.pk for e in shown] == [option.pk]


def test_the_library_page_costs_a_bounded_number_of_queries(
    client, staff, kiln_assessment, food, django_assert_max_num_queries
):
    for n in range(30):
        done(kiln_assessment, category=n % 8 + 1, electricity_saving_kwh=n * 1000)
        LibraryExample.objects.create(
            division="10", category=n % 8 + 1, description=f"Mẫu {n}", source="Sổ tay"
        )
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        response = client.get(LIBRARY, {"page": 2})
    assert response.status_code == 200
