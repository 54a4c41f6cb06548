"""What the optimistic-locking tests share: a logged-in client per person, and the data a browser
posts back unchanged from an edit page (the form's fields, its hidden `version` included)."""

from django.test import Client


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def loaded_form_data(response) -> dict:
    """What the browser would post back unchanged from the edit page in `response`."""
    data = {}
    for field in response.context["form"]:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.name] = "on" if value is True else value
    return data
