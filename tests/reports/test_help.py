from django.urls import reverse

URL = reverse("reports:help")


def test_it_works(client, official):
    client.force_login(official)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    for code in ("AWARE_PCT", "APPLY_PCT", "SAVING_PCT", "ENT_UNIT_PCT", "DOIT_STAFF"):
        assert f'id="{code}"' in page
    assert "năm gốc" in page and "Nghị định 80/2021/NĐ-CP" in page


def test_facility_users_may_read_it(client, facility_user):
    client.force_login(facility_user)
    response = client.get(URL)
    assert response.status_code == 200
    assert 'id="SAVING_PCT"' in response.text
    assert "tử số là số cơ sở đạt mức giảm từ 8 % trở lên" in response.text


def test_it_requires_login(client, db):
    assert client.get(URL).status_code == 302


def test_no_data_status_names_the_year_bound_rule(client, official):
    """reports.indicators.judged_figure: a year-bound indicator without an approved report of
    the year shows "Chưa có số liệu" next to a non-zero denominator; the help page says why."""
    client.force_login(official)
    page = client.get(URL).text
    assert "chưa có báo cáo năm nào của năm đó được duyệt" in page
    assert "ví dụ 0/22" in page


def test_it_says_breakdowns_follow_the_current_classification(client, official):
    """reports/fact_sql.py reads a facility's division and flags as the registry holds them now:
    the help page says so, and that the province's totals do not move."""
    client.force_login(official)
    page = client.get(URL).text
    assert "phân loại hiện tại của cơ sở trong sổ đăng ký" in page
    assert "số liệu toàn tỉnh không đổi" in page
