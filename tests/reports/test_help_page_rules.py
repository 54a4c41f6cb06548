"""The help page documents the benchmark score and the data-quality rules (DESIGN §4: the
definitions are documented on a help page): the benchmark with the portal's minimum number of
peers, and every rule with its current severity, thresholds and on/off, read from the rules table
so that a staff change shows at once, for every logged-in role."""

import re

import pytest
from django.urls import reverse

from assessments import benchmark
from assessments.models import QualityRule

pytestmark = pytest.mark.django_db

URL = reverse("reports:help")


def _section(page: str, element_id: str) -> str:
    """The text of the element with `element_id`, up to the end of its row or section, with the
    tags and runs of white space collapsed."""
    start = page.index(f'id="{element_id}"')
    end = min(i for i in (page.find("</tr>", start), page.find("</section>", start)) if i != -1)
    return " ".join(re.sub(r"<[^>]+>", " ", page[start:end]).split())


def _rule(code):
    return QualityRule.objects.get(code=code)


@pytest.mark.parametrize("role", ["staff", "official", "facility_user"])
def test_every_role_reads_the_benchmark_rule(client, request, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(URL)

    assert response.status_code == 200
    text = _section(response.text, "benchmark")
    assert "cùng ngành VSIC cấp 2" in text and "cùng đơn vị sản phẩm" in text
    assert "sản lượng lớn hơn 0 và năng lượng tiêu thụ lớn hơn 0" in text
    assert "ở Cổng dùng chung toàn quốc là các cơ sở cả nước, không chỉ của một tỉnh" in text
    assert f"Khi có n ≥ {benchmark.MIN_PEERS} cơ sở cùng nhóm" in text
    assert "÷ (n − 1)" in text and "100 là hiệu quả nhất" in text
    assert f"ít hơn {benchmark.MIN_PEERS} cơ sở cùng nhóm" in text and "không có điểm" in text
    assert "Điểm từ 75 trở lên: cơ sở thuộc nhóm 25% hiệu quả nhất" in text
    assert "Điểm từ 0 đến dưới 25: cơ sở thuộc nhóm 25% kém hiệu quả nhất" in text


def test_the_benchmark_rule_reads_the_minimum_from_the_code(client, official, monkeypatch):
    monkeypatch.setattr(benchmark, "MIN_PEERS", 12)
    client.force_login(official)

    text = _section(client.get(URL).text, "benchmark")

    assert "Khi có n ≥ 12 cơ sở cùng nhóm" in text and "ít hơn 12 cơ sở" in text


def test_every_rule_with_its_current_settings(client, facility_user):
    client.force_login(facility_user)

    page = client.get(URL).text

    severities = _section(page, "quality-severities")
    assert "chặn việc gửi báo cáo, duyệt và nhập từ tệp" in severities
    assert "vẫn lưu được bản nháp" in severities
    assert "giải trình trước khi gửi" in severities and "tiếp tục nhập" in severities
    assert "chỉ hiển thị cho cán bộ duyệt" in severities
    rules = list(QualityRule.objects.all())
    assert len(rules) >= 7
    for rule in rules:
        row = _section(page, f"help-rule-{rule.code}")
        assert rule.code in row and rule.display_name in row
        assert rule.display_explanation in row
        assert rule.get_severity_display() in row
        assert "Đang áp dụng" in row
    assert "40 %" in _section(page, "help-rule-INTENSITY_JUMP")
    assert "50 %" in _section(page, "help-rule-EMPLOYEES_JUMP")
    assert "1.000 TOE/năm" in _section(page, "help-rule-KEY_ENERGY_USER")
    band = _section(page, "help-rule-INTENSITY_OUT_OF_BAND")
    assert "từ bách phân vị 5 đến bách phân vị 95" in band
    assert "ít nhất 10 cơ sở" in band
    assert "Không có ngưỡng" in _section(page, "help-rule-OUTPUT_NO_ENERGY")


def test_a_staff_change_shows_on_the_help_page(client, staff, official):
    jump = _rule("INTENSITY_JUMP")
    client.force_login(staff)
    edit = reverse("assessments:quality_rule_edit", args=[jump.pk])
    response = client.post(edit, {"severity": "error", "enabled": "on", "threshold": "35,5"})
    assert response.status_code == 302, response.content
    off = _rule("APPLIES_NOT_AWARE")
    edit = reverse("assessments:quality_rule_edit", args=[off.pk])
    assert client.post(edit, {"severity": "warning"}).status_code == 302  # switched off

    client.force_login(official)
    page = client.get(URL).text

    row = _section(page, "help-rule-INTENSITY_JUMP")
    assert "35,5 %" in row and "40 %" not in row
    assert "Lỗi (chặn gửi, duyệt và nhập)" in row and "Cảnh báo" not in row
    row = _section(page, "help-rule-APPLIES_NOT_AWARE")
    assert "Đã tắt" in row and "Đang áp dụng" not in row
    assert "Cảnh báo (cần giải trình)" in row


def test_the_rules_in_english(client, staff):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.force_login(staff)

    page = client.get(URL).text

    assert "Sudden change in energy intensity" in _section(page, "help-rule-INTENSITY_JUMP")
    assert "Suất tiêu hao năng lượng thay đổi đột biến" not in page


def test_the_number_of_queries_stays_small(client, official, django_assert_max_num_queries):
    client.force_login(official)
    client.get(URL)  # the session and the caches warm

    with django_assert_max_num_queries(4):  # session, user, the rules
        response = client.get(URL)

    assert response.status_code == 200
