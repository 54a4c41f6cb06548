from decimal import Decimal

from django.urls import reverse

from tests.factories import AnnualReportFactory, AssessmentFactory


def _url(facility):
    return reverse("facilities:detail", args=[facility.pk])


def test_it_works(client, staff, facility):
    report = AnnualReportFactory(facility=facility, year=2019)
    assessment = AssessmentFactory(facility=facility)
    client.force_login(staff)
    response = client.get(_url(facility))
    assert response.status_code == 200
    assert report.get_absolute_url() in response.text
    assert assessment.get_absolute_url() in response.text
    assert reverse("assessments:report_create", args=[facility.pk]) in response.text
    assert reverse("reports:facility_intensity", args=[facility.pk]) in response.text


def test_it_requires_login(client, facility):
    assert client.get(_url(facility)).status_code == 302


def test_it_hides_other_facilities(client, facility_user, other_facility):
    client.force_login(facility_user)
    assert client.get(_url(other_facility)).status_code == 404


def test_official_reads_without_edit_links(client, official, facility):
    client.force_login(official)
    response = client.get(_url(facility))
    assert response.status_code == 200
    assert facility.name in response.text
    assert facility.tax_code in response.text
    assert facility.address in response.text
    assert reverse("facilities:edit", args=[facility.pk]) not in response.text
    assert reverse("assessments:report_create", args=[facility.pk]) not in response.text


def test_history_shows_who_changed_what(client, staff, facility):
    client.force_login(staff)
    client.post(
        reverse("facilities:edit", args=[facility.pk]),
        {
            "name": facility.name,
            "tax_code": facility.tax_code,
            "address": facility.address,
            "commune": facility.commune_id,
            "industry": facility.industry_id,
            "status": "active",
            "employees": "77",
            "contact_phone": "0222 3821 456",
        },
    )
    response = client.get(_url(facility))
    history = response.context["history"]
    assert history[0]["user"] == (staff.full_name or staff.username)
    labels = {str(label) for label, _old, _new in history[0]["changes"]}
    assert {"Số lao động", "Điện thoại liên hệ"} <= labels


def test_money_shows_only_the_decimals_it_needs(client, staff, facility):
    # 30,600 tỷ would read as thirty thousand six hundred to many: 30,6 is what was entered.
    facility.revenue_bn_vnd = Decimal("30.600")
    facility.capital_bn_vnd = Decimal("1250.500")
    facility.save()
    client.force_login(staff)

    page = client.get(_url(facility)).text

    assert '<dd class="col-sm-8">30,6</dd>' in page
    assert '<dd class="col-sm-8">1.250,5</dd>' in page
    assert "30,600" not in page


def test_the_breadcrumb_is_announced_in_the_page_language(client, staff, facility):
    # Screen readers read the navigation's label aloud: English on a Vietnamese page is noise.
    client.force_login(staff)

    page = client.get(_url(facility)).text

    assert '<nav aria-label="Đường dẫn điều hướng">' in page
    assert 'aria-label="breadcrumb"' not in page
