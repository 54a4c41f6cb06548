from decimal import Decimal

from django.urls import reverse

from assessments.models import Option


def _url(assessment):
    return reverse("assessments:option_create", args=[assessment.pk])


def _form(**changes):
    data = {
        "category": "6",
        "description": "Thu hồi nước ngưng về bồn cấp nước lò hơi",
        "screening": "implement",
        "status": "done",
        "implementation_year": "2018",
        "investment_vnd": "45000000",
        "annual_saving_vnd": "90000000",
        "coal_saving_t": "40",
        "water_saving_m3": "3000",
    }
    data.update(changes)
    return data


def test_it_works(client, facility_user, draft):
    client.force_login(facility_user)
    assert client.get(_url(draft)).status_code == 200
    response = client.post(_url(draft), _form())
    assert response.status_code == 302
    assert response["Location"] == f"{draft.get_absolute_url()}#options"
    option = Option.objects.get()
    assert (option.assessment, option.category, option.coal_saving_t) == (draft, 6, Decimal(40))
    detail = client.get(draft.get_absolute_url())
    assert "Thu hồi nước ngưng" in detail.text
    assert "Tuần hoàn, tái sử dụng" in detail.text
    assert "0,5" in detail.text  # payback 45 / 90 = 0.5 year


def test_the_form_groups_categories(client, facility_user, draft):
    client.force_login(facility_user)
    text = client.get(_url(draft)).text
    assert '<optgroup label="Giảm thiểu tại nguồn">' in text
    assert '<optgroup label="Tuần hoàn, tái sử dụng">' in text
    assert '<optgroup label="Cải tiến sản phẩm">' in text


def test_staff_may_add_to_a_submitted_assessment(client, staff, submitted):
    client.force_login(staff)
    assert client.post(_url(submitted), _form()).status_code == 302
    assert submitted.options.count() == 1


def test_it_requires_login(client, draft):
    assert client.post(_url(draft), _form()).status_code == 302
    assert not Option.objects.exists()


def test_it_hides_other_facilities(client, outsider, draft):
    client.force_login(outsider)
    assert client.post(_url(draft), _form()).status_code == 404
    assert not Option.objects.exists()


def test_officials_may_not_add(client, official, draft):
    client.force_login(official)
    assert client.post(_url(draft), _form()).status_code == 403


def test_locked_assessments_take_no_options(client, facility_user, submitted, approved):
    client.force_login(facility_user)
    response = client.post(_url(submitted), _form())
    assert response.status_code == 302 and response.url == submitted.get_absolute_url()
    # Approved: back to it with the locked message (it may be reopened), not a 403.
    assert client.post(_url(approved), _form()).url == approved.get_absolute_url()
    assert not Option.objects.exists()


def test_forged_assessment_is_ignored(client, facility_user, draft, other_assessment):
    client.force_login(facility_user)
    client.post(_url(draft), _form(assessment=other_assessment.pk))
    assert Option.objects.get().assessment == draft


def test_it_rejects_bad_input(client, facility_user, draft):
    client.force_login(facility_user)
    response = client.post(
        _url(draft),
        _form(category="9", implementation_year="", investment_vnd="-1", description=""),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"category", "investment_vnd", "description"}
    response = client.post(_url(draft), _form(implementation_year=""))
    assert "Cần nhập năm thực hiện" in response.text
    assert not Option.objects.exists()
