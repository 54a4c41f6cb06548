"""A national installation (DESIGN §2): a province's staff importing annual reports never learn
that a tax code belongs to another province's facility: it reads as unknown, as that facility's
pages are 404."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import AnnualReport

from ..factories import make_tax_code
from .import_helpers import csv_bytes, report_row
from .national_helpers import national, staff_bn, two_provinces  # noqa: F401

URL = reverse("assessments:report_import")


def test_another_provinces_tax_code_reads_as_unknown(
    client,
    national,  # noqa: F811
    two_provinces,  # noqa: F811
    staff_bn,  # noqa: F811
):
    bac_ninh, hai_phong = two_provinces
    unknown = make_tax_code(77)
    rows = [
        report_row(bac_ninh),
        report_row(hai_phong),
        report_row(bac_ninh, year=2018, tax_code=unknown),
    ]
    client.force_login(staff_bn)
    upload = SimpleUploadedFile("bao-cao.csv", csv_bytes(rows), content_type="text/csv")
    response = client.post(URL, {"file": upload})
    assert response.status_code == 200
    messages = {(p.row, p.column): p.message for p in response.context["problems"]}
    assert messages == {
        (3, "tax_code"): f"Không có cơ sở mã số thuế {hai_phong.tax_code} trong sổ đăng ký.",
        (4, "tax_code"): f"Không có cơ sở mã số thuế {unknown} trong sổ đăng ký.",
    }
    assert "tỉnh/thành phố khác" not in response.text
    assert not AnnualReport.objects.exists()
