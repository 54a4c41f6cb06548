"""Importing facilities of a merged province (issue 13, point 2; DESIGN §5 "Import files"): the
old commune, the 2025 ward or both; an old commune split between several wards imports with a
warning and lands on the "needs a 2025 address" list; codes that disagree or lie outside the
province stop the file. Through the command, the web import and the background job."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from facilities import import_columns, importing, tasks
from facilities.exporting import export_csv
from facilities.import_template import template_xlsx
from facilities.models import Facility, ImportJob

from ..factories import make_tax_code
from .import_helpers import confirm_import, csv_bytes, good_row
from .import_job_helpers import stored_job
from .territory_helpers import (
    BAC_NINH_COMMUNE,
    BAC_NINH_WARD,
    BACH_LONG_VI,
    BINH_HAN,
    CAM_THUONG,
    CAT_HAI,
    LE_THANH_NGHI,
    TAN_HUNG,
    THANH_DONG,
    TRAN_CHAU,
    TRAN_PHU,
    TU_MINH,
    hai_phong,  # noqa: F401 (fixture)
    new,
    old,
)

pytestmark = pytest.mark.usefixtures("hai_phong")

HEADER = [k for k in import_columns.COLUMN_KEYS]


def row(n: int, commune: str = "", ward: str = "", **overrides) -> dict:
    return good_row(n, commune_code=commune, ward_code=ward, **overrides)


def merged_rows() -> list[dict]:
    """Spreadsheet rows 2–6: both old provinces, a ward only, a split commune, both codes."""
    return [
        row(1, CAM_THUONG, name="Công ty CP Bia Hải Dương"),  # old Hải Dương
        row(2, TRAN_CHAU, name="Công ty TNHH Thủy sản Cát Hải"),  # old Hải Phòng
        row(3, ward=TU_MINH, name="Công ty TNHH Gốm Tứ Minh"),  # 2025 ward only
        row(4, TRAN_PHU, name="Công ty TNHH Cơ khí Trần Phú"),  # split: warning
        row(5, BINH_HAN, THANH_DONG, name="Công ty TNHH Dệt Bình Hàn"),  # both, agreeing
    ]


def write(tmp_path, rows, name="co-so.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, HEADER))
    return path


def run_command(*args):
    out = io.StringIO()
    call_command("import_facilities", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()


def by_tax(n: int) -> Facility:
    return Facility.objects.select_related("commune", "ward").get(tax_code=make_tax_code(n))


# --- The command -------------------------------------------------------------------------------


def test_command_imports_both_old_provinces_and_wards_and_warns_about_a_split_commune(
    tmp_path, client, staff
):
    lines = run_command(write(tmp_path, merged_rows()))

    warning = next(line for line in lines if line.startswith("row 5, column commune_code: "))
    assert "Phường Trần Phú (10528)" in warning
    assert "Phường Lê Thanh Nghị (10532)" in warning and "Phường Tân Hưng (10537)" in warning
    assert "cần chọn xã/phường mới" in warning
    assert [line for line in lines if line.startswith("row ")] == [warning]
    assert lines[-1].startswith("Đã nhập co-so.csv: thêm mới 5")
    assert (by_tax(1).commune, by_tax(1).ward) == (old(CAM_THUONG), new(THANH_DONG))
    assert (by_tax(2).commune, by_tax(2).ward) == (old(TRAN_CHAU), new(CAT_HAI))
    assert (by_tax(3).commune, by_tax(3).ward) == (None, new(TU_MINH))
    assert (by_tax(4).commune, by_tax(4).ward) == (old(TRAN_PHU), None)
    assert (by_tax(5).commune, by_tax(5).ward) == (old(BINH_HAN), new(THANH_DONG))
    assert by_tax(1).commune.parent.parent.name == "Tỉnh Hải Dương"
    assert by_tax(2).commune.parent.parent.name == "Thành phố Hải Phòng"
    # The split commune's facility is listed for staff, with the wards to choose from.
    client.force_login(staff)
    page = client.get(reverse("facilities:needs_ward"))
    assert [f.tax_code for f in page.context["page"].object_list] == [make_tax_code(4)]
    assert "Phường Lê Thanh Nghị (10532)" in page.text and "Phường Tân Hưng" in page.text


def test_dry_run_prints_the_warning_and_writes_nothing(tmp_path):
    lines = run_command(write(tmp_path, merged_rows()), "--dry-run")

    assert any(line.startswith("row 5, column commune_code: ") for line in lines)
    assert lines[-1].startswith("Tệp hợp lệ (chạy thử, không ghi): thêm mới 5")
    assert not Facility.objects.exists()


def test_codes_that_disagree_stop_the_file(tmp_path):
    rows = [*merged_rows(), row(6, CAM_THUONG, LE_THANH_NGHI)]

    with pytest.raises(CommandError) as caught:
        run_command(write(tmp_path, rows))

    assert caught.value.returncode == 1
    assert not Facility.objects.exists()
    problems = importing.plan_file(io.BytesIO(csv_bytes(rows, HEADER)), "x.csv").problems
    assert [(p.row, p.column) for p in problems] == [(7, "ward_code")]
    assert "Phường Lê Thanh Nghị (10532) không khớp" in problems[0].message
    assert "Phường Cẩm Thượng (10507)" in problems[0].message
    assert "Phường Thành Đông (10507)" in problems[0].message


def test_the_command_prints_the_disagreement_naming_the_row(tmp_path, capsys):
    path = write(tmp_path, [row(1, TRAN_PHU, CAT_HAI)])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_facilities", str(path), stdout=out)
    assert out.getvalue().startswith("row 2, column ward_code: ")


@pytest.mark.parametrize(
    ("overrides", "column", "words"),
    [
        ({"commune": BAC_NINH_COMMUNE}, "commune_code", "không thuộc Thành phố Hải Phòng"),
        ({"ward": BAC_NINH_WARD}, "ward_code", "(từ 1/7/2025) không thuộc Thành phố Hải Phòng"),
        ({"commune": "99999"}, "commune_code", "Không có xã/phường mã 99999"),
        ({"ward": "99999"}, "ward_code", "Không có xã/phường mã 99999 trong danh mục từ 1/7/2025"),
        ({"ward": CAM_THUONG[:4]}, "ward_code", "5 chữ số"),
        ({}, "commune_code", "Cần ghi mã xã/phường trước 1/7/2025 (commune_code) hoặc"),
    ],
)
def test_codes_outside_the_province_or_missing_are_errors(tmp_path, overrides, column, words):
    rows = [row(1, CAM_THUONG), row(2, **overrides)]
    plan = importing.plan_file(io.BytesIO(csv_bytes(rows, HEADER)), "x.csv")

    assert [(p.row, p.column) for p in plan.problems] == [(3, column)]
    assert words in plan.problems[0].message
    with pytest.raises(CommandError):
        run_command(write(tmp_path, rows))
    assert not Facility.objects.exists()


def test_a_2025_code_in_the_old_column_gets_a_hint():
    plan = importing.plan_import([row(1, BACH_LONG_VI)])  # a 2025 code only
    assert "hãy ghi vào cột «Mã xã/phường mới (từ 1/7/2025)»" in plan.problems[0].message


def test_a_file_with_neither_address_column_is_refused():
    header = [k for k in HEADER if k not in ("commune_code", "ward_code")]
    plan = importing.plan_file(io.BytesIO(csv_bytes([row(1)], header)), "x.csv")
    assert [(p.row, p.column) for p in plan.problems] == [(1, "commune_code")]
    assert "ward_code" in plan.problems[0].message


def test_the_vietnamese_labels_and_the_earlier_commune_label_are_headers():
    labels = [import_columns.LABELS[k] for k in HEADER]
    assert import_columns.LABELS["ward_code"] == "Mã xã/phường mới (từ 1/7/2025)"
    data = csv_bytes([dict(zip(labels, row(1, ward=TU_MINH).values(), strict=True))], labels)
    plan = importing.plan_file(io.BytesIO(data), "nhan.csv")
    assert plan.is_valid, plan.problems
    earlier = ["tax_code", "name", "address", "Mã xã/phường", "vsic_code"]
    data = csv_bytes(
        [dict(zip(earlier, ["0100109106", "A", "B", CAM_THUONG, "10"], strict=True))], earlier
    )
    plan = importing.plan_file(io.BytesIO(data), "cu.csv")
    assert plan.is_valid, plan.problems
    assert plan.new_facilities[0].ward_id == new(THANH_DONG).pk


# --- Updates -----------------------------------------------------------------------------------


def test_an_update_changing_only_the_old_commune_recomputes_the_ward(tmp_path):
    run_command(write(tmp_path, [row(1, CAM_THUONG)]))
    facility = by_tax(1)
    header = ["tax_code", "name", "address", "commune_code", "vsic_code"]
    path = tmp_path / "doi.csv"
    path.write_bytes(csv_bytes([row(1, TRAN_CHAU)], header))

    run_command(path)

    facility = by_tax(1)
    assert (facility.commune, facility.ward) == (old(TRAN_CHAU), new(CAT_HAI))
    # History keeps the address as it was.
    first = facility.history.order_by("history_date").first()
    assert (first.commune_id, first.ward_id) == (old(CAM_THUONG).pk, new(THANH_DONG).pk)


def test_an_update_keeps_a_ward_staff_chose_for_a_split_commune(tmp_path):
    run_command(write(tmp_path, [row(1, TRAN_PHU)]))
    Facility.objects.filter(tax_code=make_tax_code(1)).update(ward=new(TAN_HUNG))
    header = ["tax_code", "name", "address", "commune_code", "vsic_code", "employees"]
    path = tmp_path / "lai.csv"
    path.write_bytes(csv_bytes([row(1, TRAN_PHU, employees="70")], header))

    lines = run_command(path)

    assert not [line for line in lines if line.startswith("row ")]
    assert (by_tax(1).ward, by_tax(1).employees) == (new(TAN_HUNG), 70)


def test_an_empty_ward_cell_keeps_a_ward_staff_chose_for_a_split_commune(tmp_path):
    # The file has the ward_code column but the cell is empty: nothing can be derived from a
    # split commune, so the ward staff chose stays (it was cleared, back on the needs-ward list).
    run_command(write(tmp_path, [row(1, TRAN_PHU)]))
    Facility.objects.filter(tax_code=make_tax_code(1)).update(ward=new(TAN_HUNG))
    header = ["tax_code", "name", "address", "commune_code", "ward_code", "vsic_code"]
    path = tmp_path / "lai.csv"
    path.write_bytes(csv_bytes([row(1, TRAN_PHU)], header))

    run_command(path)

    assert by_tax(1).ward == new(TAN_HUNG)


def test_imported_facilities_are_found_by_their_place_names(tmp_path, client, staff):
    run_command(write(tmp_path, merged_rows()))
    client.force_login(staff)

    def found(q):
        response = client.get(reverse("facilities:list"), {"q": q})
        return {f.tax_code for f in response.context["page"].object_list}

    assert found("thanh dong") == {make_tax_code(1), make_tax_code(5)}
    assert found("hai duong") >= {make_tax_code(1), make_tax_code(4), make_tax_code(5)}
    assert make_tax_code(2) not in found("hai duong")
    assert found("cat hai") == {make_tax_code(2)}


# --- Template and export -----------------------------------------------------------------------


def test_the_template_and_its_instructions_have_the_ward_column():
    workbook = load_workbook(io.BytesIO(template_xlsx()))
    header = [c.value for c in workbook["DuLieu"][1]]
    assert header[3:5] == ["Mã xã/phường cũ (trước 1/7/2025)", "Mã xã/phường mới (từ 1/7/2025)"]
    keys = [row[1] for row in workbook["Hướng dẫn"].iter_rows(values_only=True)]
    assert "ward_code" in keys and "commune_code" in keys


def test_the_export_has_both_codes_and_imports_back_unchanged(tmp_path):
    run_command(write(tmp_path, merged_rows()))
    exported = export_csv(Facility.objects.all())
    lines = exported.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[3:5] == ["commune_code", "ward_code"]
    ward_only = next(line for line in lines if make_tax_code(3) in line)
    assert f",,{TU_MINH}," in ward_only  # no old commune: an empty cell

    plan = importing.plan_file(io.BytesIO(exported), "xuat.csv")

    assert plan.is_valid, plan.problems
    assert (plan.to_create, plan.to_update, plan.unchanged) == (0, 0, 5)


# --- The web import and the background job -----------------------------------------------------


def test_web_import_shows_the_warning_before_and_after_the_import(client, staff):
    client.force_login(staff)
    upload = io.BytesIO(csv_bytes(merged_rows(), HEADER))
    upload.name = "co-so.csv"

    preview = client.post(reverse("facilities:import"), {"file": upload})

    assert preview.status_code == 200 and preview.context["plan"].is_valid
    assert 'id="import-warnings"' in preview.text
    assert "Tệp có 1 cảnh báo" in preview.text
    assert "Phường Trần Phú (10528)" in preview.text
    done = confirm_import(client, follow=True)
    assert done.redirect_chain[-1][0] == reverse("facilities:import_result")
    assert "Đã nhập tệp co-so.csv: thêm 5" in done.text
    assert "Đã nhập, kèm 1 cảnh báo" in done.text and "Phường Tân Hưng (10537)" in done.text
    assert reverse("facilities:needs_ward") in done.text
    assert Facility.objects.count() == 5


def test_background_job_keeps_and_shows_the_warnings(settings, client, staff, monkeypatch):
    for name in ("validate_import_task", "run_import_task"):
        monkeypatch.setattr(getattr(tasks, name), "delay", lambda job_id: None)
    job = stored_job(settings, csv_bytes(merged_rows(), HEADER), by=staff)
    assert tasks.validate_import_task(job.pk) == "validated"
    job.refresh_from_db()
    assert job.warning_count == 1
    assert job.warnings[0]["row"] == 5 and job.warnings[0]["column"] == "commune_code"
    client.force_login(staff)
    assert "Phường Trần Phú (10528)" in client.get(job.get_absolute_url()).text

    client.post(reverse("facilities:import_job_confirm", args=[job.pk]))
    assert tasks.run_import_task(job.pk) == "done"

    job.refresh_from_db()
    assert (job.state, job.warning_count) == (ImportJob.State.DONE, 1)
    page = client.get(job.get_absolute_url()).text
    assert "Đã nhập, kèm 1 cảnh báo" in page and "Phường Lê Thanh Nghị (10532)" in page
    assert by_tax(4).ward is None
