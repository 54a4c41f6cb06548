"""The option library masks only the examples a page shows: the library page (a page of
`PAGE_SIZE`), the create page and a facility's progress page (the ten most relevant examples) build
a facility's mask for the rows they show, not for every approved option of the sector, and every
row shown, on any page, is masked as strictly as before."""

import pytest
from django.urls import reverse

from assessments.anonymise import FacilityMask
from assessments.views.assessments import LIBRARY_EXAMPLES
from assessments.views.library import PAGE_SIZE
from facilities.models import IndustryCode
from reports.views.progress import SECTOR_EXAMPLES

from ..factories import AssessmentFactory, FacilityFactory, OptionFactory

LIBRARY = reverse("assessments:option_library")
CREATE = reverse("assessments:assessment_create")
NAME = "[tên cơ sở]"
TAX = "[mã số thuế]"
FACILITIES = PAGE_SIZE + 7  # more than a page, so that a second page shows the rest


@pytest.fixture
def chemicals():
    return IndustryCode.objects.get_or_create(
        version="VSIC2018", code="20", defaults={"name": "Sản xuất hoá chất", "level": 2}
    )[0]


@pytest.fixture
def named_options(chemicals):
    """One done option per facility, each naming its own facility and tax code."""
    facilities = []
    for n in range(FACILITIES):
        facility = FacilityFactory(name=f"Công ty TNHH Hoá chất Vĩnh Phát {n}", industry=chemicals)
        assessment = AssessmentFactory(facility=facility, state="approved")
        OptionFactory(
            assessment=assessment,
            status="done",
            implementation_year=2020,
            description=f"Lắp biến tần tại {facility.name} (MST {facility.tax_code})",
            electricity_saving_kwh=1000 * (n + 1),
        )
        facilities.append(facility)
    return facilities


@pytest.fixture
def builds(monkeypatch):
    """The facilities (by name) whose mask was built during the test."""
    built = []
    original = FacilityMask.build.__func__

    def counting(cls, **fields):
        built.append(fields.get("name"))
        return original(cls, **fields)

    monkeypatch.setattr(FacilityMask, "build", classmethod(counting))
    return built


def shown(response) -> list[str]:
    items = response.context.get("page")
    items = items.object_list if items else response.context["library_examples"]
    return [e.description for e in items if e.kind == "option"]


def assert_masked(response, facilities, descriptions):
    assert descriptions
    assert set(descriptions) == {f"Lắp biến tần tại {NAME} (MST {TAX})"}
    html = response.content.decode()
    for facility in facilities:
        assert facility.name not in html
        assert facility.tax_code not in html


def test_the_library_page_masks_only_the_page_shown(client, staff, named_options, builds):
    client.force_login(staff)

    first = client.get(LIBRARY)
    first_shown = shown(first)
    assert len(first_shown) == PAGE_SIZE
    assert len(builds) <= PAGE_SIZE
    assert_masked(first, named_options, first_shown)

    builds.clear()
    second = client.get(LIBRARY, {"page": 2})
    second_shown = shown(second)
    assert len(second_shown) == FACILITIES - PAGE_SIZE
    assert len(builds) <= FACILITIES - PAGE_SIZE
    assert_masked(second, named_options, second_shown)
    # The summaries still count every example, not only the page's.
    assert sum(s.count for s in second.context["summaries"]) == FACILITIES


def test_the_create_page_masks_only_its_examples(
    client, facility_user, facility, chemicals, named_options, builds
):
    facility.industry = chemicals
    facility.save()
    client.force_login(facility_user)

    response = client.get(CREATE)

    descriptions = shown(response)
    assert len(descriptions) == LIBRARY_EXAMPLES
    assert len(builds) <= LIBRARY_EXAMPLES
    assert_masked(response, named_options, descriptions)


def test_the_progress_page_masks_only_its_examples(
    client, facility_user, facility, chemicals, named_options, builds
):
    facility.industry = chemicals
    facility.save()
    client.force_login(facility_user)

    response = client.get(reverse("reports:facility_progress", args=[facility.pk]))

    descriptions = shown(response)
    assert len(descriptions) == SECTOR_EXAMPLES
    assert len(builds) <= SECTOR_EXAMPLES
    assert_masked(response, named_options, descriptions)
