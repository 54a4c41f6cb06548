"""The long lists of the report workbook (facilities, options): generators over server-side
cursors, written only to the XLSX, so memory stays flat whatever the number of facilities."""

from collections.abc import Iterator

from django.db import connection
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import (
    Assessment,
    Option,
    OptionCategory,
    WorkflowState,
    payback_years,
)
from core.collation import vietnamese, vietnamese_sql
from core.numbers import round_half_up
from facilities.models import AdminUnit, Facility, IndustryCode
from facilities.territory import namesake_district_names, old_district_labels
from reports.fact_table import flags_sql
from reports.facts import FACILITY_CONDITIONS
from reports.figures import SAVING, SAVING_REACH_PCT, shown_saving

from .activities import assessment_year_q

FACILITY_COLUMNS = (
    gettext_lazy("Mã số thuế"),
    gettext_lazy("Tên cơ sở"),
    gettext_lazy("Địa chỉ"),
    gettext_lazy("Xã/phường"),
    gettext_lazy("Huyện"),
    gettext_lazy("Xã/phường mới (từ 1/7/2025)"),
    gettext_lazy("Tỉnh/thành phố (từ 1/7/2025)"),
    gettext_lazy("Mã ngành VSIC"),
    gettext_lazy("Tình trạng"),
    gettext_lazy("Nhận thức SXSH"),
    gettext_lazy("Áp dụng SXSH"),
    gettext_lazy("DN vừa và lớn"),
    gettext_lazy("Có bộ phận SXSH"),
    gettext_lazy("Tiết kiệm năng lượng/đơn vị SP (%)"),
    # Whether the facility is one of SAVING_PCT's "reaching 8 %" (DESIGN §4): "có"/"không" for
    # each facility of its denominator, empty for the others (no saving figure).
    format_lazy(gettext_lazy("Đạt mức tiết kiệm ≥ {pct} %"), pct=SAVING_REACH_PCT),
)

# The indicator's own condition (reports.facts: SAVING_PCT's numerator over the facts' columns),
# so the sheet's "có" rows are exactly the facilities the indicator counts.
REACHING_SQL = FACILITY_CONDITIONS[(SAVING, "numerator")]

# By old district, then old province: two old districts of one name ("Huyện Châu Thành" of Bến
# Tre and of Trà Vinh) each keep their facilities together, as their labels order them.
FACILITY_SQL = """
SELECT f.tax_code, f.name, f.address, commune.name, district.name, old_province.name, ward.name,
       province.name, industry.code, f.status, flags.aware, flags.applies, flags.big,
       flags.has_unit, flags.saving_pct, CASE WHEN {reaching} THEN 1 ELSE 0 END
FROM flags
JOIN {facility} f ON f.id = flags.facility_id
LEFT JOIN {unit} commune ON commune.id = f.commune_id
LEFT JOIN {unit} district ON district.id = commune.parent_id
LEFT JOIN {unit} old_province ON old_province.id = district.parent_id
LEFT JOIN {unit} ward ON ward.id = f.ward_id
LEFT JOIN {unit} province
  ON province.scheme = %s AND province.level = %s AND province.code = f.province
JOIN {industry} industry ON industry.id = f.industry_id
ORDER BY f.province, {district_name}, {old_province_name}, {facility_name}, f.id
"""


def facility_rows(year: int, province: str | None = None) -> Iterator[list]:
    """One row per facility operating in `year` (of the 2025 `province` when given; by province,
    then old district and name), with the per-facility facts behind the indicators (the `flags`
    of `reports.fact_table.flags_sql`), read through a server-side cursor. An old district
    another one shares its name with is named with its old province (territory.unit_label)."""
    sql, params = flags_sql([year], province)
    sql += FACILITY_SQL.format(
        facility=Facility._meta.db_table,
        unit=AdminUnit._meta.db_table,
        industry=IndustryCode._meta.db_table,
        district_name=vietnamese_sql("district.name"),
        old_province_name=vietnamese_sql("old_province.name"),
        facility_name=vietnamese_sql("f.name"),
        reaching=REACHING_SQL,
    )
    # The 2025 province is the facility's own (`Facility.province`), also for one placed by its
    # old commune only (no ward yet); the Ministry's sheet lists province by province.
    params = [*params, SAVING_REACH_PCT, AdminUnit.Scheme.V2025, AdminUnit.Level.PROVINCE]
    yes, no = _("có"), _("không")
    statuses = {value: str(label) for value, label in Facility.Status.choices}
    # (name, old province) -> label of every namesake district: a few dozen, two queries.
    districts = old_district_labels(namesake_district_names().values_list("name", flat=True))
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(2000):
            for *text, status, aware, applies, big, has_unit, saving, reaching in chunk:
                # The district and its old province (not a column of its own): the label.
                text[4:6] = [districts.get((text[4], text[5]), text[4])]
                yield [
                    *text,
                    statuses.get(status, status),
                    yes if aware else no,
                    yes if applies else no,
                    yes if big else no,
                    yes if has_unit else no,
                    shown_saving(saving, reaching=bool(reaching)),
                    None if saving is None else (yes if reaching else no),
                ]


# The annex of the PDF and DOCX (reports.files.content.annex_rows): the first `limit` facilities
# with their places in both schemes and their 2025 province (the facility's own,
# `Facility.province`, also for one placed by its old commune only), the Ministry's document by
# province first.
ANNEX_SQL = """
SELECT f.name, commune.name, district.name, ward.name, f.province, province.name,
       industry.code, flags.aware, flags.applies, old_province.name
FROM flags
JOIN {facility} f ON f.id = flags.facility_id
LEFT JOIN {unit} commune ON commune.id = f.commune_id
LEFT JOIN {unit} district ON district.id = commune.parent_id
LEFT JOIN {unit} old_province ON old_province.id = district.parent_id
LEFT JOIN {unit} ward ON ward.id = f.ward_id
LEFT JOIN {unit} province
  ON province.scheme = %s AND province.level = %s AND province.code = f.province
JOIN {industry} industry ON industry.id = f.industry_id
ORDER BY {order}, {facility_name}, f.id
LIMIT %s
"""


def annex_facts(
    year: int, province: str | None, limit: int, *, by_ward: bool, by_province: bool
) -> list[tuple]:
    """(name, old commune, old district, 2025 ward, 2025 province code, its name, VSIC code,
    aware, applies, old province) of the first `limit` facilities operating in `year` (of the
    2025 `province` when given), ordered by 2025 province (`by_province`), then by 2025 ward
    (`by_ward`) or old district, then by name."""
    sql, params = flags_sql([year], province)
    # Old districts by name, then old province: two of one name ("Huyện Châu Thành" of Bến Tre
    # and of Trà Vinh) each keep their facilities together, in the order of their labels.
    order = (
        [vietnamese_sql("ward.name")]
        if by_ward
        else [vietnamese_sql("district.name"), vietnamese_sql("old_province.name")]
    )
    if by_province:
        order = [vietnamese_sql("province.name"), "f.province", *order]
    # Fixed table and column names; every value is a parameter.
    sql += ANNEX_SQL.format(
        facility=Facility._meta.db_table,
        unit=AdminUnit._meta.db_table,
        industry=IndustryCode._meta.db_table,
        order=", ".join(order),
        facility_name=vietnamese_sql("f.name"),
    )
    params = [*params, AdminUnit.Scheme.V2025, AdminUnit.Level.PROVINCE, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


OPTION_COLUMNS = (
    gettext_lazy("Mã số thuế"),
    gettext_lazy("Tên cơ sở"),
    gettext_lazy("Loại đánh giá"),
    gettext_lazy("Nhóm giải pháp"),
    gettext_lazy("Mô tả giải pháp"),
    gettext_lazy("Kết quả sàng lọc"),
    gettext_lazy("Tình trạng"),
    gettext_lazy("Năm thực hiện"),
    gettext_lazy("Vốn đầu tư (đồng)"),
    gettext_lazy("Tiết kiệm hằng năm (đồng)"),
    gettext_lazy("Thời gian hoàn vốn (năm)"),
)


def option_sheet_rows(year: int, province: str | None = None) -> Iterator[list]:
    """Options of approved assessments implemented up to `year`, or without an implementation
    year (planned, dropped) of an assessment of `year` or before (`assessment_year_q`: a 2019
    workbook lists nothing an assessment of 2020 found), of the facilities of the 2025
    `province` when given."""
    categories = {value: str(label) for value, label in OptionCategory.choices}
    kinds = {value: str(label) for value, label in Assessment.Kind.choices}
    screening = {value: str(label) for value, label in Option.Screening.choices}
    statuses = {value: str(label) for value, label in Option.Status.choices}
    options = Option.objects.filter(assessment__state=WorkflowState.APPROVED)
    if province is not None:
        options = options.filter(assessment__facility__province=province)
    queryset = (
        options.filter(
            Q(implementation_year__lte=year)
            | Q(implementation_year__isnull=True) & assessment_year_q("lte", year, "assessment__")
        )
        .order_by(vietnamese("assessment__facility__name"), "assessment_id", "category", "id")
        .values_list(
            "assessment__facility__tax_code",
            "assessment__facility__name",
            "assessment__kind",
            "category",
            "description",
            "screening",
            "status",
            "implementation_year",
            "investment_vnd",
            "annual_saving_vnd",
        )
    )
    rows = queryset.iterator(chunk_size=2000)
    for tax, name, kind, category, text, screen, status, impl, invest, saving in rows:
        payback = round_half_up(payback_years(invest, saving), 1)
        yield [
            tax,
            name,
            kinds.get(kind, kind),
            categories.get(category, category),
            text,
            screening.get(screen, screen),
            statuses.get(status, status),
            impl,
            invest,
            saving,
            payback,
        ]
