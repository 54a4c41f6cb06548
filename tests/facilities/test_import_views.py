"""Web import for staff: upload -> preview -> confirm; the template download."""

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from facilities.import_columns import COLUMN_KEYS, LABELS
from facilities.models import Facility, IndustrialArea

from ..factories import FacilityFactory, make_tax_code
from .import_helpers import AREA, confirm_import, csv_bytes, good_row, make_references, xlsx_bytes

IMPORT = reverse("facilities:import")
CONFIRM = reverse("facilities:import_confirm")
TEMPLATE = reverse("facilities:import_template")


@pytest.fixture(autouse=True)
def references(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def upload(client, content: bytes, name: str = "co-so.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def stored_files(settings) -> list[Path]:
    directory = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(directory.glob("*")) if directory.exists() else []


def test_login_required(client):
    for url in (IMPORT, TEMPLATE):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["official", "facility_user"])
def test_only_staff(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(IMPORT).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert upload(client, csv_bytes([good_row()])).status_code == 403
    assert client.post(CONFIRM).status_code == 403
    assert not Facility.objects.filter(tax_code=make_tax_code(1)).exists()


def test_upload_page(staff_client):
    response = staff_client.get(IMPORT)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text
    assert TEMPLATE in response.text
    assert "Nhập danh sách cơ sở từ tệp" in response.text


def test_happy_path_upload_preview_confirm(staff_client, staff, settings):
    FacilityFactory(tax_code=make_tax_code(1), name="Tên cũ")
    existing_same = good_row(2)
    response = upload(staff_client, csv_bytes([good_row(1), existing_same, good_row(3)]))
    assert response.status_code == 200
    assert response.context["plan"].is_valid
    assert [response.context["plan"].to_create, response.context["plan"].to_update] == [2, 1]
    assert "Xác nhận nhập" in response.text
    assert len(stored_files(settings)) == 1
    assert Facility.objects.count() == 1  # nothing written yet

    response = confirm_import(staff_client, follow=True)
    assert response.redirect_chain[-1][0] == reverse("facilities:list")
    assert "Đã nhập tệp co-so.csv: thêm 2, cập nhật 1, giữ nguyên 0 cơ sở." in response.text
    assert Facility.objects.count() == 3
    assert Facility.objects.get(tax_code=make_tax_code(1)).name == good_row(1)["name"]
    assert Facility.history.filter(history_user=staff).count() == 3
    assert stored_files(settings) == []
    assert "facility_import" not in staff_client.session

    # Confirming twice does nothing more.
    response = confirm_import(staff_client)
    assert response.status_code == 302 and response.url == IMPORT


def test_unchanged_rows_are_counted(staff_client):
    FacilityFactory(tax_code=make_tax_code(1))
    upload(staff_client, csv_bytes([good_row(1)]))
    confirm_import(staff_client)
    response = upload(staff_client, csv_bytes([good_row(1)]))
    plan = response.context["plan"]
    assert (plan.to_create, plan.to_update, plan.unchanged) == (0, 0, 1)


def test_xlsx_with_vietnamese_labels(staff_client):
    header = [LABELS[key] for key in COLUMN_KEYS]
    response = upload(staff_client, xlsx_bytes([list(good_row().values())], header), "a.xlsx")
    assert response.context["plan"].to_create == 1
    confirm_import(staff_client)
    assert Facility.objects.filter(tax_code=make_tax_code(1)).exists()


def test_bad_file_shows_problems_and_writes_nothing(staff_client, settings):
    rows = [good_row(1), good_row(2, contact_email="khong-phai-email"), good_row(3)]
    response = upload(staff_client, csv_bytes(rows))
    assert response.status_code == 200
    problems = response.context["problems"]
    assert [(p.row, p.column) for p in problems] == [(3, "contact_email")]
    assert "Địa chỉ e-mail không hợp lệ." in response.text
    assert "Chưa có dữ liệu nào được ghi" in response.text
    assert "Xác nhận nhập" not in response.text
    assert stored_files(settings) == []
    assert confirm_import(staff_client).status_code == 302
    assert not Facility.objects.exists()


def test_unknown_column_is_shown_as_a_problem(staff_client):
    response = upload(staff_client, csv_bytes([good_row()], [*COLUMN_KEYS, "ghi_chu"]))
    assert [(p.row, p.column) for p in response.context["problems"]] == [(1, "ghi_chu")]


def _macro_xlsx() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([list(good_row().values())])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        archive.writestr("xl/vbaProject.bin", b"\0" * 64)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lon.csv", b"x" * (10 * 1024 * 1024 + 1), "Tệp quá lớn: tối đa 10 MB."),
        ("co-so.xlsx", b"khong phai excel", "Tệp không phải là tệp Excel .xlsx hợp lệ."),
        ("co-so.xlsm", b"PK\x03\x04", "Không chấp nhận tệp có macro (.xlsm)."),
        ("co-so.xlsx", None, "Không chấp nhận tệp Excel có macro."),
        ("co-so.pdf", b"%PDF-1.4", "Chỉ chấp nhận tệp .csv hoặc .xlsx."),
        ("co-so.csv", "tax_code,Tên\n".encode("latin-1"), "UTF-8"),
    ],
)
def test_rejected_files_show_a_message(staff_client, settings, name, content, message):
    response = upload(staff_client, content if content is not None else _macro_xlsx(), name)
    assert response.status_code == 200
    assert message in response.text
    assert response.context["form"].errors
    assert stored_files(settings) == []
    assert not Facility.objects.exists()


def test_confirm_validates_again(staff_client, settings):
    upload(staff_client, csv_bytes([good_row(1, industrial_area=AREA)]))
    IndustrialArea.objects.filter(name=AREA).delete()
    response = confirm_import(staff_client)
    assert response.status_code == 200
    assert [p.column for p in response.context["problems"]] == ["industrial_area"]
    assert not Facility.objects.exists()
    assert stored_files(settings) == []


def test_confirm_needs_post(staff_client):
    assert staff_client.get(CONFIRM).status_code == 405


def test_a_new_upload_replaces_the_pending_one(staff_client, settings):
    upload(staff_client, csv_bytes([good_row(1)]))
    upload(staff_client, csv_bytes([good_row(2)]))
    assert len(stored_files(settings)) == 1
    confirm_import(staff_client)
    assert list(Facility.objects.values_list("tax_code", flat=True)) == [make_tax_code(2)]


def test_template_download(staff_client):
    response = staff_client.get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    data, guide = workbook.worksheets[:2]
    assert [c.value for c in data[1]] == [LABELS[key] for key in COLUMN_KEYS]
    assert guide.title == "Hướng dẫn"
    text = " ".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    for key in COLUMN_KEYS:
        assert key in text
    assert "nhà nước / ngoài nhà nước / FDI" in text


def test_filled_template_imports(staff_client):
    workbook = load_workbook(io.BytesIO(staff_client.get(TEMPLATE).content))
    workbook.worksheets[0].append(list(good_row().values()))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(staff_client, buffer.getvalue(), "mau.xlsx")
    assert response.context["plan"].to_create == 1, response.context["plan"].problems


def test_abandoned_uploads_are_cleaned_up(staff_client, settings):
    directory = Path(settings.MEDIA_ROOT) / "imports"
    directory.mkdir(parents=True)
    old = directory / f"{'a' * 32}.csv"
    old.write_bytes(b"tax_code\n")
    os.utime(old, (0, 0))
    upload(staff_client, csv_bytes([good_row()]))
    assert not old.exists()
    assert len(stored_files(settings)) == 1


def test_confirm_writes_the_previewed_file_not_a_later_upload(staff_client):
    """Two tabs: file A previewed, file B uploaded in the other tab; "Xác nhận nhập" on A's
    preview writes nothing (B is not what the officer confirmed) and says why; B's own preview
    still confirms B."""
    FacilityFactory(tax_code=make_tax_code(2), name="Tên cũ")
    first = upload(staff_client, csv_bytes([good_row(1)]), "a.csv")
    form = re.search(r'name="upload" value="([0-9a-f]{32})"', first.text)
    assert form, "the preview's confirm form names its upload"
    upload(staff_client, csv_bytes([good_row(2, name="Tên từ thẻ thứ hai")]), "b.csv")

    response = staff_client.post(CONFIRM, {"upload": form.group(1)}, follow=True)
    assert response.redirect_chain[-1][0] == IMPORT
    assert "một tệp khác đã được tải lên sau đó" in response.text
    assert not Facility.objects.filter(tax_code=make_tax_code(1)).exists()
    assert Facility.objects.get(tax_code=make_tax_code(2)).name == "Tên cũ"

    confirm_import(staff_client)
    assert Facility.objects.get(tax_code=make_tax_code(2)).name == "Tên từ thẻ thứ hai"
