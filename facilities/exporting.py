"""Facility export (CSV/XLSX); the import template is facilities.import_template's.

The export's row 1 holds the import column keys, so an exported file imports back unchanged.
Text that a spreadsheet could take for a formula (starting with =, +, -, @, tab or CR) is
protected in each format its own way: in XLSX by the rule of every XLSX export
(core.text.xlsx_cell: a text cell with Excel's quote prefix, the value unchanged, without the
characters a worksheet cannot hold); in CSV, which has no such prefix, by a leading `'`
(core.spreadsheets.escape_formula), which the import removes.
"""

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.collation import vietnamese
from core.spreadsheets import escape_formula
from core.text import xlsx_cell

from .import_columns import COLUMN_KEYS


def _number(value: Decimal | None):
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return Decimal(text)


def facility_row(facility) -> list:
    """One facility as import-ready values, in COLUMN_KEYS order (None = empty cell)."""
    return [
        facility.tax_code,
        facility.name,
        facility.address,
        facility.commune.code if facility.commune_id else None,
        facility.ward.code if facility.ward_id else None,
        facility.industry.code,
        facility.industrial_area.name if facility.industrial_area_id else None,
        facility.ownership or None,
        facility.established_year,
        facility.employees,
        _number(facility.revenue_bn_vnd),
        _number(facility.capital_bn_vnd),
        "yes" if facility.high_pollution_risk else "no",
        "yes" if facility.key_energy_user else "no",
        facility.status,
        facility.closed_year,
        facility.contact_name or None,
        facility.contact_phone or None,
        facility.contact_email or None,
    ]


def export_queryset(queryset):
    """Keep the list's order (its sort parameter); name order otherwise."""
    if not queryset.ordered:
        queryset = queryset.order_by(vietnamese("name"), "id")
    return queryset.select_related("commune", "ward", "industry", "industrial_area")


def export_csv(queryset) -> bytes:
    """UTF-8 with BOM (Excel then reads Vietnamese correctly), comma-separated."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMN_KEYS)
    for facility in export_queryset(queryset).iterator(chunk_size=2000):
        writer.writerow([_csv_value(v) for v in facility_row(facility)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value) -> str:
    return "" if value is None else str(escape_formula(value))


def export_xlsx(queryset) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Cơ sở SXCN"))
    sheet.append(list(COLUMN_KEYS))
    for facility in export_queryset(queryset).iterator(chunk_size=2000):
        sheet.append([xlsx_cell(sheet, v) for v in facility_row(facility)])
    return _save(workbook)


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
