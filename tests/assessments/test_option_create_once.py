"""assessments:option_create sent twice from the same "Thêm giải pháp" form (the back button and
"Thêm giải pháp" again, a double click): one option, and the second sending leads to it."""

import re

import pytest
from django.urls import reverse

from assessments.models import Option

pytestmark = pytest.mark.django_db

ALREADY_CREATED = "giải pháp đã được lưu trước đó; không tạo thêm giải pháp trùng"
TOKEN = re.compile(r'name="form_token"[^>]*data-form-token="([0-9a-f]{32})"')


def _loaded_form(client, assessment, *, page: str = "detail") -> dict:
    """What the browser posts back from the add-option form of a freshly loaded page (the
    detail page's inline form or the separate page), filled in; the page's script copies the
    offered token into the form."""
    url = (
        assessment.get_absolute_url()
        if page == "detail"
        else reverse("assessments:option_create", args=[assessment.pk])
    )
    token = TOKEN.search(client.get(url).text).group(1)
    return {
        "form_token": token,
        "category": "6",
        "description": "Thu hồi nước ngưng về bồn cấp nước lò hơi",
        "screening": "implement",
        "status": "planned",
        "investment_vnd": "45.000.000",
        "annual_saving_vnd": "90.000.000",
    }


def _post(client, assessment, data, **kwargs):
    return client.post(reverse("assessments:option_create", args=[assessment.pk]), data, **kwargs)


@pytest.mark.parametrize("page", ["detail", "form"])
def test_the_same_form_sent_twice_creates_one_option(client, facility_user, draft, page):
    client.force_login(facility_user)
    data = _loaded_form(client, draft, page=page)

    first = _post(client, draft, data)
    again = _post(client, draft, data, follow=True)

    option = Option.objects.get()
    back_to_options = f"{draft.get_absolute_url()}#options"
    assert first.url == back_to_options
    assert again.redirect_chain[-1][0] == back_to_options
    assert ALREADY_CREATED in again.text
    assert option.history.count() == 1  # one "added" event in the history


def test_each_newly_loaded_form_adds_its_own(client, facility_user, draft):
    client.force_login(facility_user)
    first = _loaded_form(client, draft)
    second = {**_loaded_form(client, draft), "description": "Bảo ôn đường ống hơi"}
    for data in (first, first, second, second):
        _post(client, draft, data)
    assert sorted(Option.objects.values_list("description", flat=True)) == [
        "Bảo ôn đường ống hơi",
        "Thu hồi nước ngưng về bồn cấp nước lò hơi",
    ]


def test_a_refused_form_keeps_its_token(client, facility_user, draft):
    client.force_login(facility_user)
    data = _loaded_form(client, draft)
    refused = _post(client, draft, {**data, "description": ""})
    assert refused.status_code == 200
    assert f'value="{data["form_token"]}"' in refused.text  # sent again as it was
    _post(client, draft, data)
    _post(client, draft, data)
    assert Option.objects.count() == 1
