"""Hostile uploads through both web import pages (facilities:import, assessments:report_import)
and both import commands: each is refused with a Vietnamese message naming the problem, the page
is the form again (200, never a 500) and nothing is written."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import AnnualReport
from facilities.models import Facility

from ..facilities.import_helpers import good_row, make_references, xlsx_bytes

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56 + b"\x90" * 200
PE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + b"\x00" * 50
    + b"PE\x00\x00"
    + b"\xcc" * 200
)
EXECUTABLE = "Tệp là chương trình (tệp thực thi)"
NOT_XLSX = "Tệp không phải là tệp Excel .xlsx hợp lệ."
MACRO = "Không chấp nhận tệp"  # … có macro (.xlsm) / … Excel có macro
BOMB = "Tệp Excel có dung lượng giải nén quá lớn (tối đa 100 MB)."
ENTITIES = "Tệp Excel chứa khai báo DOCTYPE/ENTITY trong XML"
TOO_BIG = "Tệp quá lớn: tối đa 10 MB."
FAR_COLUMN = "Trang tính đầu tiên có ô ở cột thứ 1.025; tệp nhập chỉ được dùng 1.024 cột đầu."
MB = 1024 * 1024


def _valid_xlsx() -> bytes:
    return xlsx_bytes([list(good_row().values())])


def _rebuilt(replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None):
    """A valid XLSX with some members replaced and others added."""
    replace, add = replace or {}, add or {}
    source = zipfile.ZipFile(io.BytesIO(_valid_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, content in add.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _with_macro_content_type() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_valid_xlsx()))
    types = source.read("[Content_Types].xml").replace(
        b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
    )
    return _rebuilt({"[Content_Types].xml": types})


def _zip_bomb(member_mb: int) -> bytes:
    """A valid XLSX plus one member of `member_mb` MB of zeros (a few hundred KB packed)."""
    source = zipfile.ZipFile(io.BytesIO(_valid_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
        with archive.open("xl/media/image1.bin", "w", force_zip64=True) as member:
            block = b"\0" * MB
            for _ in range(member_mb):
                member.write(block)
    return buffer.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="&lol9;" sheetId="1" r:id="rId1"/></sheets></workbook>"""


def _external_entity_sheet() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_valid_xlsx()))
    sheet = source.read("xl/worksheets/sheet1.xml")
    declaration = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    head, _sep, rest = sheet.partition(b"?>")
    evil = head + b"?>" + declaration + rest.replace(b"<v>", b"<v>&xxe;", 1)
    return _rebuilt({"xl/worksheets/sheet1.xml": evil})


def _far_cell(column: str) -> bytes:
    """A valid XLSX whose last row has one more cell, far to the right: openpyxl pads every
    row out to its last cell, so a few such cells per row cost the reader thousands each."""
    source = zipfile.ZipFile(io.BytesIO(_valid_xlsx()))
    sheet = source.read("xl/worksheets/sheet1.xml")
    row = sheet.rsplit(b"<row ", 1)[1].split(b'r="', 1)[1].split(b'"', 1)[0]
    cell = b'<c r="' + column.encode() + row + b'"><v>7</v></c></row>'
    head, _sep, tail = sheet.rpartition(b"</row>")
    return _rebuilt({"xl/worksheets/sheet1.xml": head + cell + tail})


CASES = {
    # id: (file name, content factory, expected message)
    "elf-as-xlsx": ("co-so.xlsx", lambda: ELF, EXECUTABLE),
    "elf-as-csv": ("co-so.csv", lambda: ELF, EXECUTABLE),
    "pe-as-xlsx": ("co-so.xlsx", lambda: PE, EXECUTABLE),
    "pe-as-csv": ("co-so.csv", lambda: PE, EXECUTABLE),
    "xlsm": ("co-so.xlsm", lambda: _rebuilt(add={"xl/vbaProject.bin": b"\0" * 64}), MACRO),
    "macro-content-type": ("co-so.xlsx", _with_macro_content_type, MACRO),
    "vba-project-in-xlsx": ("co-so.xlsx", lambda: _rebuilt(add={"xl/vbaProject.bin": b"x"}), MACRO),
    "zip-bomb-200mb": ("co-so.xlsx", lambda: _zip_bomb(200), BOMB),
    "zip-bomb-ratio": ("co-so.xlsx", lambda: _zip_bomb(20), BOMB),
    "billion-laughs": (
        "co-so.xlsx",
        lambda: _rebuilt({"xl/workbook.xml": BILLION_LAUGHS}),
        ENTITIES,
    ),
    "external-entity": ("co-so.xlsx", _external_entity_sheet, ENTITIES),
    "far-column": ("co-so.xlsx", lambda: _far_cell("AMK"), FAR_COLUMN),
    "oversize-csv": ("lon.csv", lambda: b"tax_code\n" + b"0" * (10 * MB), TOO_BIG),
    "oversize-xlsx": ("lon.xlsx", lambda: b"PK\x03\x04" + b"\0" * (10 * MB), TOO_BIG),
}
IDS = list(CASES)


@pytest.fixture(scope="module")
def contents():
    return {}


def _content(contents, case) -> tuple[str, bytes, str]:
    name, make, message = CASES[case]
    if case not in contents:
        contents[case] = make()
    return name, contents[case], message


@pytest.fixture
def references(settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()


def _assert_nothing_written(settings, facilities_before: int):
    assert Facility.objects.count() == facilities_before
    assert not AnnualReport.objects.exists()
    imports = Path(settings.MEDIA_ROOT) / "imports"
    assert not imports.exists() or not any(imports.iterdir())


@pytest.mark.parametrize("case", IDS)
def test_facility_import_page_refuses(client, staff, settings, references, contents, case):
    name, content, message = _content(contents, case)
    before = Facility.objects.count()
    client.force_login(staff)
    response = client.post(
        reverse("facilities:import"), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert message in response.text
    assert response.context["form"].errors["file"]
    assert 'type="file"' in response.text
    _assert_nothing_written(settings, before)


@pytest.mark.parametrize("case", IDS)
def test_report_import_page_refuses(client, staff, settings, contents, case):
    name, content, message = _content(contents, case)
    before = Facility.objects.count()
    client.force_login(staff)
    response = client.post(
        reverse("assessments:report_import"),
        {"file": SimpleUploadedFile(name, content)},  # not a dry run
    )
    assert response.status_code == 200
    assert message in response.text
    assert 'type="file"' in response.text
    _assert_nothing_written(settings, before)


@pytest.mark.parametrize("command", ["import_facilities", "import_annual_reports"])
@pytest.mark.parametrize("case", IDS)
def test_import_commands_refuse(tmp_path, settings, references, contents, command, case):
    name, content, message = _content(contents, case)
    before = Facility.objects.count()
    path = tmp_path / name
    path.write_bytes(content)
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(command, str(path), stdout=out, stderr=io.StringIO())
    assert caught.value.returncode == 1
    assert message in out.getvalue()
    _assert_nothing_written(settings, before)
