from django.urls import reverse

from assessments.models import Option


def _url(option):
    return reverse("assessments:option_delete", args=[option.pk])


def test_it_asks_for_confirmation(client, facility_user, option):
    client.force_login(facility_user)
    response = client.get(_url(option))
    assert response.status_code == 200
    assert "Xác nhận xóa" in response.text
    assert Option.objects.filter(pk=option.pk).exists()


def test_it_works(client, facility_user, option):
    client.force_login(facility_user)
    response = client.post(_url(option))
    assert response.status_code == 302
    assert not Option.objects.filter(pk=option.pk).exists()
    assert option.history.filter(history_type="-").exists()  # the deletion is in the history


def test_it_requires_login(client, option):
    assert client.post(_url(option)).status_code == 302
    assert Option.objects.filter(pk=option.pk).exists()


def test_it_hides_other_facilities(client, outsider, option):
    client.force_login(outsider)
    assert client.post(_url(option)).status_code == 404
    assert Option.objects.filter(pk=option.pk).exists()


def test_officials_may_not_delete(client, official, option):
    client.force_login(official)
    assert client.post(_url(option)).status_code == 403
    assert Option.objects.filter(pk=option.pk).exists()


def test_options_of_locked_assessments_stay(client, facility_user, option):
    option.assessment.state = "submitted"
    option.assessment.save()
    client.force_login(facility_user)
    # Back to the assessment, told it waits for the Department; the option stays.
    response = client.post(_url(option))
    assert response.status_code == 302 and response.url == option.assessment.get_absolute_url()
    assert Option.objects.filter(pk=option.pk).exists()


def test_it_rejects_bad_input(client, facility_user):
    client.force_login(facility_user)
    assert client.post(reverse("assessments:option_delete", args=[999999])).status_code == 404
