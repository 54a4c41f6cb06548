"""Nation-wide reference tables (DESIGN §2): conversion and grid emission factors, data-quality
rules, the option library and the plan's priority sectors feed every province's figures. In a
national installation only a superuser changes them — a province's staff (and its officials, and
the Ministry) read them, without edit links, and get 403 on every edit page and POST —; in a
one-province installation staff edit them as before."""

import pytest
from django.urls import reverse

from accounts.models import Role
from assessments.models import (
    ConversionFactor,
    GridEmissionFactor,
    LibraryExample,
    Option,
    QualityRule,
)
from facilities.models import IndustryCode

from ..factories import AssessmentFactory, FacilityFactory, OptionFactory, UserFactory

pytestmark = pytest.mark.django_db

BAC_NINH = "24"
NEW_SOURCE = "Nguồn do người sửa nhập"


def _example():
    IndustryCode.objects.get_or_create(
        version="VSIC2018",
        code="23",
        defaults={"name": "Sản xuất sản phẩm từ khoáng phi kim loại khác", "level": 2},
    )
    return LibraryExample.objects.create(
        division="23", category=4, description="Lò tuynel", source="Sổ tay SXSH ngành gạch"
    )


def _example_data(source):
    return {
        "division": "23",
        "category": "4",
        "description": "Lò tuynel",
        "investment_vnd": "1.500.000.000",
        "annual_saving_vnd": "500.000.000",
        "payback_years": "",
        "toe": "120,5",
        "tco2": "",
        "source": source,
    }


# Each case: () -> (url, POST data, () -> whether the POST changed the table).


def factor_edit():
    factor = ConversionFactor.objects.get(carrier="electricity")
    data = {
        "name": factor.name,
        "unit": factor.unit,
        "toe_per_unit": str(factor.toe_per_unit).replace(".", ","),
        "co2_t_per_unit": "",
        "source": NEW_SOURCE,
        "reason": "",
    }
    changed = lambda: ConversionFactor.objects.get(pk=factor.pk).source == NEW_SOURCE  # noqa: E731
    return reverse("assessments:factor_edit", args=[factor.pk]), data, changed


def grid_factor_edit():
    factor = GridEmissionFactor.objects.get(year=2018)
    data = {"t_co2_per_mwh": "0,5", "source": NEW_SOURCE, "reason": ""}
    changed = lambda: GridEmissionFactor.objects.get(pk=factor.pk).source == NEW_SOURCE  # noqa: E731
    return reverse("assessments:grid_factor_edit", args=[factor.pk]), data, changed


def grid_factor_create():
    year = max(GridEmissionFactor.objects.values_list("year", flat=True)) + 1
    data = {"year": year, "t_co2_per_mwh": "0,6592", "source": NEW_SOURCE}
    changed = lambda: GridEmissionFactor.objects.filter(year=year).exists()  # noqa: E731
    return reverse("assessments:grid_factor_create"), data, changed


def quality_rule_edit():
    rule = QualityRule.objects.get(code="INTENSITY_JUMP")
    severity = "info" if rule.severity == "error" else "error"
    data = {"severity": severity, "enabled": "on", "threshold": "30"}
    changed = lambda: QualityRule.objects.get(pk=rule.pk).severity == severity  # noqa: E731
    return reverse("assessments:quality_rule_edit", args=[rule.pk]), data, changed


def library_example_create():
    _example()
    data = _example_data(NEW_SOURCE)
    changed = lambda: LibraryExample.objects.filter(source=NEW_SOURCE).exists()  # noqa: E731
    return reverse("assessments:library_example_create"), data, changed


def library_example_edit():
    example = _example()
    changed = lambda: LibraryExample.objects.get(pk=example.pk).source == NEW_SOURCE  # noqa: E731
    url = reverse("assessments:library_example_edit", args=[example.pk])
    return url, _example_data(NEW_SOURCE), changed


def library_example_visibility():
    example = _example()
    changed = lambda: LibraryExample.objects.get(pk=example.pk).hidden  # noqa: E731
    url = reverse("assessments:library_example_visibility", args=[example.pk])
    return url, {"hidden": "1"}, changed


def library_option_visibility():
    assessment = AssessmentFactory(facility=FacilityFactory(), state="approved")
    option = OptionFactory(assessment=assessment, status="done", implementation_year=2019)
    changed = lambda: Option.objects.get(pk=option.pk).library_hidden  # noqa: E731
    url = reverse("assessments:library_option_visibility", args=[option.pk])
    return url, {"hidden": "1"}, changed


def sector_list():
    flagged = set(IndustryCode.objects.filter(level=2, is_priority=True).values_list("pk"))
    wanted = IndustryCode.objects.filter(level=2, is_priority=False).first()
    data = {"divisions": [pk for (pk,) in flagged] + [wanted.pk]}
    changed = lambda: IndustryCode.objects.get(pk=wanted.pk).is_priority  # noqa: E731
    return reverse("facilities:sector_list"), data, changed


EDITS = [
    factor_edit,
    grid_factor_edit,
    grid_factor_create,
    quality_rule_edit,
    library_example_create,
    library_example_edit,
    library_example_visibility,
    library_option_visibility,
]
POSTS = [*EDITS, sector_list]


@pytest.fixture
def national(settings):
    settings.PORTAL_SCOPE = "national"


@pytest.fixture
def province_staff():
    return UserFactory(username="canbo_bn", role=Role.STAFF, province=BAC_NINH)


@pytest.fixture
def admin():
    return UserFactory(username="quantri", role=Role.STAFF, is_superuser=True)


@pytest.mark.parametrize("case", EDITS, ids=lambda case: case.__name__)
def test_province_staff_may_not_open_an_edit_page(client, national, province_staff, case):
    url, _data, _changed = case()
    client.force_login(province_staff)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("case", POSTS, ids=lambda case: case.__name__)
def test_province_staff_may_not_change_a_shared_table(client, national, province_staff, case):
    url, data, changed = case()
    client.force_login(province_staff)
    assert client.post(url, data).status_code == 403
    assert not changed()


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.MINISTRY])
@pytest.mark.parametrize("case", POSTS, ids=lambda case: case.__name__)
def test_readers_may_not_change_a_shared_table(client, national, case, role):
    url, data, changed = case()
    client.force_login(UserFactory(username="doc", role=role, province=BAC_NINH))
    assert client.post(url, data).status_code == 403
    assert not changed()


@pytest.mark.parametrize("case", POSTS, ids=lambda case: case.__name__)
def test_a_superuser_changes_it_in_a_national_installation(client, national, admin, case):
    url, data, changed = case()
    client.force_login(admin)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    assert changed()


@pytest.mark.parametrize("case", POSTS, ids=lambda case: case.__name__)
def test_staff_change_it_in_a_one_province_installation(client, staff, case):
    url, data, changed = case()
    client.force_login(staff)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    assert changed()


def _edit_markers(name) -> list[str]:
    """The edit links (or form fields) that list page `name` shows an editor."""
    if name == "assessments:factor_list":
        factor = ConversionFactor.objects.get(carrier="electricity")
        grid = GridEmissionFactor.objects.get(year=2018)
        markers = [
            reverse("assessments:factor_edit", args=[factor.pk]),
            reverse("assessments:grid_factor_edit", args=[grid.pk]),
            reverse("assessments:grid_factor_create"),
        ]
    elif name == "assessments:quality_rule_list":
        rule = QualityRule.objects.get(code="INTENSITY_JUMP")
        markers = [reverse("assessments:quality_rule_edit", args=[rule.pk])]
    elif name == "assessments:option_library":
        example, option = LibraryExample.objects.get(), Option.objects.get()
        markers = [
            reverse("assessments:library_example_create"),
            reverse("assessments:library_example_edit", args=[example.pk]),
            reverse("assessments:library_example_visibility", args=[example.pk]),
            reverse("assessments:library_option_visibility", args=[option.pk]),
        ]
    else:
        markers = ['id="sector-form"', 'name="divisions"']
    return markers


LISTS = [
    "assessments:factor_list",
    "assessments:quality_rule_list",
    "assessments:option_library",
    "facilities:sector_list",
]


@pytest.fixture
def library_rows():
    """A curated example and a done option, so the library shows a row of each kind."""
    library_example_visibility()
    library_option_visibility()


@pytest.mark.parametrize("name", LISTS)
def test_province_staff_read_the_lists_without_edit_links(
    client, national, province_staff, admin, library_rows, name
):
    client.force_login(province_staff)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert [marker for marker in _edit_markers(name) if marker in response.text] == []
    client.force_login(admin)
    html = client.get(reverse(name)).text
    assert [marker for marker in _edit_markers(name) if marker not in html] == []


NOTE = "Bảng này dùng chung cho cả nước: chỉ quản trị hệ thống được thay đổi."


@pytest.mark.parametrize(
    "name", ["assessments:factor_list", "assessments:quality_rule_list", "facilities:sector_list"]
)
def test_province_staff_are_told_why_they_cannot_edit(client, settings, name):
    settings.PORTAL_SCOPE = "national"
    client.force_login(UserFactory(role=Role.STAFF, province="24"))
    assert NOTE in client.get(reverse(name)).text
    settings.PORTAL_SCOPE = "province"
    client.force_login(UserFactory(role=Role.STAFF))
    assert NOTE not in client.get(reverse(name)).text
