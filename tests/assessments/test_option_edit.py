from django.urls import reverse

from .test_option_create import _form


def _url(option):
    return reverse("assessments:option_edit", args=[option.pk])


def test_it_works(client, facility_user, option):
    client.force_login(facility_user)
    assert client.get(_url(option)).status_code == 200
    response = client.post(_url(option), _form(description="Lắp biến tần", category="4"))
    assert response.status_code == 302
    option.refresh_from_db()
    assert (option.description, option.category) == ("Lắp biến tần", 4)


def test_it_requires_login(client, option):
    assert client.post(_url(option), _form(description="X")).status_code == 302
    option.refresh_from_db()
    assert option.description != "X"


def test_it_hides_other_facilities(client, outsider, option):
    client.force_login(outsider)
    assert client.get(_url(option)).status_code == 404
    assert client.post(_url(option), _form(description="X")).status_code == 404
    option.refresh_from_db()
    assert option.description != "X"


def test_officials_may_not_edit(client, official, option):
    client.force_login(official)
    assert client.post(_url(option), _form(description="X")).status_code == 403


def test_options_of_locked_assessments_are_locked(client, staff, facility_user, option):
    option.assessment.state = "approved"
    option.assessment.save()
    for user in (staff, facility_user):
        client.force_login(user)
        # Back to the assessment with the locked message (it may be reopened), not a 403.
        response = client.post(_url(option), _form(description="X"))
        assert response.url == option.assessment.get_absolute_url()
    option.refresh_from_db()
    assert option.description != "X"


def test_forged_assessment_is_ignored(client, facility_user, option, other_assessment):
    client.force_login(facility_user)
    client.post(_url(option), _form(assessment=other_assessment.pk))
    option.refresh_from_db()
    assert option.assessment != other_assessment


def test_it_rejects_bad_input(client, facility_user, option):
    client.force_login(facility_user)
    response = client.post(_url(option), _form(category="0", description="Y"))
    assert "category" in response.context["form"].errors
    option.refresh_from_db()
    assert option.description != "Y"
