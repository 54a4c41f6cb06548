"""The option library shows other facilities' done options "without naming the facility": an
option description that names its own facility (name, name without its legal form, tax code,
address, contact) is shown with those spans masked, on the library page, among the ten examples of
the create page and on a facility's progress page, whatever the case, tone-mark placement, Unicode
form or spacing it was written with. A description naming nothing of the facility, and a curated
example, are shown as written."""

import unicodedata

import pytest
from django.urls import reverse

from assessments.anonymise import fold_with_origins
from assessments.models import LibraryExample, Option
from core.text import fold
from facilities.models import IndustryCode

from ..factories import AssessmentFactory, FacilityFactory, OptionFactory

LIBRARY = reverse("assessments:option_library")
CREATE = reverse("assessments:assessment_create")
NAME = "[tên cơ sở]"
TAX = "[mã số thuế]"


@pytest.fixture
def chemicals():
    return IndustryCode.objects.get_or_create(
        version="VSIC2018", code="20", defaults={"name": "Sản xuất hoá chất", "level": 2}
    )[0]


@pytest.fixture
def dong_tien(chemicals):
    return FacilityFactory(
        name="Công ty Cổ phần Hoá chất Đồng Tiến",
        tax_code="2304642475",
        address="Lô C5, Khu công nghiệp Quế Võ",
        contact_name="Nguyễn Văn Bảo Mật",
        contact_phone="0912 345 678",
        contact_email="Lienhe@DongTien.vn",
        industry=chemicals,
    )


@pytest.fixture
def cooperative(chemicals):
    return FacilityFactory(
        name="Hợp tác xã Giấy bao bì Đình Bảng", tax_code="2304642475-001", industry=chemicals
    )


def done(facility, description):
    assessment = AssessmentFactory(facility=facility, state="approved")
    return OptionFactory(
        assessment=assessment,
        status="done",
        implementation_year=2020,
        description=description,
        electricity_saving_kwh=10_000,
    )


def shown(response) -> dict[int, str]:
    """The descriptions of the option examples in the page's context, by option."""
    items = response.context.get("page")
    items = items.object_list if items else response.context["library_examples"]
    return {e.pk: e.description for e in items if e.kind == "option"}


def test_another_facilitys_user_sees_the_library_masked(
    client, facility_user, dong_tien, cooperative
):
    named = done(dong_tien, "Thu hồi nhiệt tại Công ty Cổ phần Hoá chất Đồng Tiến, MST 2304642475")
    coop = done(cooperative, "Lắp đồng hồ đo tại xưởng của Hợp tác xã Giấy bao bì Đình Bảng")
    client.force_login(facility_user)  # a user of "Công ty Cổ phần Bia Hải Dương"

    response = client.get(LIBRARY)

    html = response.content.decode()
    assert shown(response) == {
        named.pk: f"Thu hồi nhiệt tại {NAME}, MST {TAX}",
        coop.pk: f"Lắp đồng hồ đo tại xưởng của {NAME}",
    }
    assert f"Thu hồi nhiệt tại {NAME}, MST {TAX}" in html
    for secret in ("Đồng Tiến", "2304642475", "Giấy bao bì Đình Bảng"):
        assert secret not in html


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        # upper case; "hóa" with the tone mark on the other vowel; runs of spaces
        ("Bảo ôn bồn phản ứng CÔNG TY CỔ PHẦN HOÁ CHẤT ĐỒNG TIẾN", f"Bảo ôn bồn phản ứng {NAME}"),
        ("Xưởng  của   Hóa chất  Đồng   Tiến đã thay bơm", f"Xưởng  của   {NAME} đã thay bơm"),
        # the name without its legal form, with another legal form written before it
        ("CTCP Hoá chất Đồng Tiến lắp biến tần", f"{NAME} lắp biến tần"),
        ("Hoá chất Đồng Tiến lắp biến tần", f"{NAME} lắp biến tần"),
        # the tax code with spaces or dashes
        ("MST 2304 642 475 – lò hơi", f"MST {TAX} – lò hơi"),
        ("MST: 2304-642-475.", f"MST: {TAX}."),
        # address and contact
        ("Đặt tại lô c5 khu công nghiệp quế võ", "Đặt tại [địa chỉ]"),
        ("Liên hệ ông NGUYỄN VĂN BẢO MẬT", "Liên hệ ông [người liên hệ]"),
        ("ĐT 0912.345.678, e-mail lienhe@dongtien.vn", "ĐT [số điện thoại], e-mail [e-mail]"),
        ("ĐT +84 912 345 678", "ĐT [số điện thoại]"),
        # nothing of the facility: as written (another tax code, a word of the name alone)
        ("Thay bóng đèn LED tiết kiệm điện, mã 2304642476", None),
        ("Thu hồi nước ngưng, hoá chất tẩy rửa dùng lại", None),
    ],
)
def test_variants_are_masked_and_the_rest_left_as_written(
    client, facility_user, dong_tien, description, expected
):
    option = done(dong_tien, description)
    client.force_login(facility_user)

    response = client.get(LIBRARY)

    assert shown(response) == {option.pk: description if expected is None else expected}


def test_a_description_stored_decomposed_is_masked(client, facility_user, dong_tien):
    # Written outside save() (which stores NFC), e.g. by SQL or an old import: NFD text.
    option = done(dong_tien, "Bảo ôn")
    decomposed = unicodedata.normalize("NFD", "Hoá chất Đồng Tiến lắp biến tần")
    Option.objects.filter(pk=option.pk).update(description=decomposed)
    client.force_login(facility_user)
    response = client.get(LIBRARY)
    assert shown(response) == {option.pk: NAME + unicodedata.normalize("NFD", " lắp biến tần")}


def test_a_branch_tax_code_and_its_main_code_are_masked(client, facility_user, cooperative):
    option = done(cooperative, "MST 2304642475-001 (chi nhánh của 2304642475)")
    client.force_login(facility_user)
    response = client.get(LIBRARY)
    assert shown(response) == {option.pk: f"MST {TAX} (chi nhánh của {TAX})"}


def test_the_ten_examples_on_the_create_page_are_masked(
    client, facility_user, facility, chemicals, dong_tien
):
    facility.industry = chemicals
    facility.save()
    option = done(dong_tien, "Tuần hoàn nước làm mát tại Hoá chất Đồng Tiến (MST 2304642475)")
    client.force_login(facility_user)

    response = client.get(CREATE)

    assert shown(response) == {option.pk: f"Tuần hoàn nước làm mát tại {NAME} (MST {TAX})"}
    html = response.content.decode()
    assert "Đồng Tiến" not in html
    assert "2304642475" not in html


def test_the_progress_pages_sector_examples_are_masked(
    client, facility_user, facility, chemicals, dong_tien
):
    facility.industry = chemicals
    facility.save()
    done(dong_tien, "Công ty Cổ phần Hoá chất Đồng Tiến thay lò hơi ghi xích")
    client.force_login(facility_user)

    response = client.get(reverse("reports:facility_progress", args=[facility.pk]))

    html = response.content.decode()
    examples = html[html.index('id="sector-example-table"') :]
    assert f"{NAME} thay lò hơi ghi xích" in examples
    assert "Đồng Tiến" not in html


def test_curated_examples_are_shown_as_written(client, facility_user, dong_tien):
    done(dong_tien, "Bảo ôn đường ống hơi")
    curated = LibraryExample.objects.create(
        division="20",
        category=4,
        description="Hoá chất Đồng Tiến (Sổ tay SXSH ngành hoá chất)",
        source="Sổ tay SXSH",
    )
    client.force_login(facility_user)
    items = client.get(LIBRARY).context["page"].object_list
    assert [e.description for e in items if e.kind == "curated" and e.pk == curated.pk] == [
        curated.description
    ]


def test_options_of_many_facilities_cost_no_query_per_facility(
    client, staff, chemicals, django_assert_max_num_queries
):
    for n in range(12):
        facility = FacilityFactory(name=f"Công ty TNHH Hoá chất Số {n}", industry=chemicals)
        done(facility, f"Lắp biến tần tại {facility.name}")
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        response = client.get(LIBRARY)
    assert set(shown(response).values()) == {f"Lắp biến tần tại {NAME}"}


@pytest.mark.parametrize(
    "text",
    ["Hoá  chất\tĐồng Tiến ", unicodedata.normalize("NFD", "  Ổn định ĐỒNG TIẾN"), "İstanbul", ""],
)
def test_the_position_tracking_fold_is_fold(text):
    folded, origins = fold_with_origins(text)
    assert folded == fold(text)
    assert len(origins) == len(folded)
