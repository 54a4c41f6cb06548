"""The history panel of the assessment detail page lists the changes of its options too: who
added, edited or deleted which option, and when."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_OPTION = {
    "category": "6",
    "description": "Thu hồi nước ngưng về bồn cấp nước lò hơi",
    "screening": "implement",
    "status": "planned",
    "investment_vnd": "45.000.000",
    "annual_saving_vnd": "90.000.000",
}


def _history(client, assessment) -> list[str]:
    """The entries of the page's history list, as plain text (whitespace collapsed)."""
    page = client.get(assessment.get_absolute_url()).text
    panel = page.split('id="assessment-history">', 1)[1].split("\n    </ul>", 1)[0]
    items = panel.split('<li class="border-bottom py-2">')[1:]
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_option_added_edited_and_deleted_show_in_the_history(facility, draft):
    representative = UserFactory(role="facility", full_name="Trần Thị Mai")
    representative.facilities.add(facility)
    client = Client()
    client.force_login(representative)

    client.post(reverse("assessments:option_create", args=[draft.pk]), NEW_OPTION)
    option = draft.options.get()
    client.post(
        reverse("assessments:option_edit", args=[option.pk]),
        {**NEW_OPTION, "investment_vnd": "50.000.000"},
    )
    client.post(reverse("assessments:option_delete", args=[option.pk]))

    deleted, edited, added = _history(client, draft)[:3]
    name = NEW_OPTION["description"]
    assert f"Xóa giải pháp “{name}”" in deleted
    assert f"Sửa giải pháp “{name}”" in edited
    assert "Vốn đầu tư (đồng): 45.000.000 → 50.000.000" in edited
    assert f"Thêm giải pháp “{name}”" in added
    for entry in (deleted, edited, added):
        assert "Trần Thị Mai" in entry


def test_assessment_changes_are_still_listed(client, facility_user, draft, option):
    client.force_login(facility_user)
    option_entry, assessment_entry = _history(client, draft)[:2]
    assert f"Thêm giải pháp “{option.description}”" in option_entry
    assert "Tạo mới" in assessment_entry


def test_an_edit_that_changes_nothing_adds_no_entry(facility, draft):
    """Saving the option form with the same values writes a history record but no empty
    "Sửa giải pháp" line: only the edit that changed a figure is listed."""
    representative = UserFactory(role="facility", full_name="Trần Thị Mai")
    representative.facilities.add(facility)
    client = Client()
    client.force_login(representative)
    client.post(reverse("assessments:option_create", args=[draft.pk]), NEW_OPTION)
    option = draft.options.get()
    edit = reverse("assessments:option_edit", args=[option.pk])
    client.post(edit, {**NEW_OPTION, "investment_vnd": "50.000.000"})
    client.post(edit, {**NEW_OPTION, "investment_vnd": "50.000.000"})
    assert option.history.filter(history_type="~").count() == 2

    edits = [entry for entry in _history(client, draft) if "Sửa giải pháp" in entry]
    assert len(edits) == 1
    assert "45.000.000 → 50.000.000" in edits[0]
