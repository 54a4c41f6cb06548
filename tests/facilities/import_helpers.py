"""Shared bits of the facility import/export tests: reference units, rows, files."""

import csv
import io
import json

from openpyxl import Workbook

from facilities.import_columns import COLUMN_KEYS
from facilities.models import AdminUnit, IndustrialArea
from tests.samples import SAMPLES

from ..factories import (
    CommuneFactory,
    DistrictFactory,
    IndustryCodeFactory,
    ProvinceFactory,
    make_tax_code,
)

EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))

COMMUNE = "09001"
COMMUNE_2 = "09002"
FOREIGN_COMMUNE = "10507"  # a commune of another province (30)
WARD = "09169"  # the 2025 ward (of Bắc Ninh, 24) that COMMUNE and COMMUNE_2 became
AREA = "KCN Quế Võ"


def make_references():
    """Province 27 with two communes, both now part of one 2025 ward of province 24 (Bắc Ninh
    since 2025), province 30 with one, VSIC 10/11/20/1104, one KCN."""
    district = DistrictFactory(code="256", name="Huyện Quế Võ", parent=ProvinceFactory())
    communes = [
        CommuneFactory(code=COMMUNE, name="Xã Phương Liễu", parent=district),
        CommuneFactory(code=COMMUNE_2, name="Xã Nhân Hoà", parent=district),
    ]
    province_2025, _ = AdminUnit.objects.get_or_create(
        scheme=AdminUnit.Scheme.V2025,
        code="24",
        defaults={"name": "Tỉnh Bắc Ninh", "level": AdminUnit.Level.PROVINCE},
    )
    ward, _ = AdminUnit.objects.get_or_create(
        scheme=AdminUnit.Scheme.V2025,
        code=WARD,
        defaults={
            "name": "Phường Quế Võ",
            "level": AdminUnit.Level.COMMUNE,
            "parent": province_2025,
        },
    )
    for commune in communes:
        commune.successors.add(ward)
    other = ProvinceFactory(code="30", name="Tỉnh Hải Dương")
    CommuneFactory(code=FOREIGN_COMMUNE, parent=DistrictFactory(code="288", parent=other))
    for code, name in (
        ("10", "Sản xuất, chế biến thực phẩm"),
        ("11", "Sản xuất đồ uống"),
        ("20", "Sản xuất hoá chất và sản phẩm hoá chất"),
    ):
        IndustryCodeFactory(code=code, name=name, level=2)
    IndustryCodeFactory(code="1104", name="Sản xuất đồ uống không cồn", level=4)
    IndustrialArea.objects.get_or_create(name=AREA, defaults={"kind": IndustrialArea.Kind.KCN})


def good_row(n: int = 1, **overrides) -> dict:
    row = {
        "tax_code": make_tax_code(n),
        "name": f"Công ty TNHH Thực phẩm Thử {n}",
        "address": f"Số {n}, Đường Lý Thái Tổ",
        "commune_code": COMMUNE,
        "ward_code": "",
        "vsic_code": "1010",
        "industrial_area": "",
        "ownership": "private",
        "established_year": "2010",
        "employees": "50",
        "revenue_bn_vnd": "12,5",
        "capital_bn_vnd": "8.2",
        "high_pollution_risk": "có",
        "key_energy_user": "không",
        "status": "active",
        "closed_year": "",
        "contact_name": "Nguyễn Văn An",
        "contact_phone": "0222 3852 123",
        "contact_email": "lienhe@example.vn",
    }
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict], header=None, *, bom: bool = True) -> bytes:
    header = list(header or (rows[0].keys() if rows else COLUMN_KEYS))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(key, "") for key in header])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[list], header=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header or COLUMN_KEYS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def confirm_import(client, **kwargs):
    """Press "Xác nhận nhập" on the preview of the session's pending upload (the form names the
    upload it previews)."""
    from django.urls import reverse

    pending = client.session.get("facility_import") or {}
    data = {"upload": pending.get("token", "")}
    return client.post(reverse("facilities:import_confirm"), data, **kwargs)
