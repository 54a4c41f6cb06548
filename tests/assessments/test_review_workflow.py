"""Annual reports and assessments share one review workflow: the same matrix of (step, state,
role) -> allowed holds for both, asserted through their HTTP views."""

import pytest
from django.urls import reverse

from assessments.models import WorkflowEvent

from ..factories import AnnualReportFactory, AssessmentFactory

# Written by hand from DESIGN §3, not derived from the code: who may take each step from each
# state ("-": nobody). Officials may take none.
MATRIX = """
step     draft     submitted  returned  approved
submit   facility  -          facility  -
return   -         staff      -         -
approve  -         staff      -         -
reopen   -         -          -         staff
"""
LEADS_TO = {
    "submit": "submitted",
    "return": "returned",
    "approve": "approved",
    "reopen": "returned",
}
ROLES = {"facility": "facility_user", "staff": "staff", "official": "official"}


def _cases():
    header, *rows = MATRIX.strip().splitlines()
    states = header.split()[1:]
    for row in rows:
        step, *cells = row.split()
        for state, allowed_role in zip(states, cells, strict=True):
            for role in ROLES:
                yield step, state, role, role == allowed_role


CASES = list(_cases())


def _report(facility, state):
    return AnnualReportFactory(facility=facility, year=2019, state=state)


def _assessment(facility, state):
    return AssessmentFactory(facility=facility, state=state)


RECORDS = {"report": _report, "assessment": _assessment}
DATA = {"confirm": "1", "text": "Ý kiến của bước này.", "to_state": "returned"}


@pytest.mark.usefixtures("open_deadline")
@pytest.mark.parametrize("noun", RECORDS)
@pytest.mark.parametrize(("step", "state", "role", "allowed"), CASES)
def test_the_same_matrix_holds_for_reports_and_assessments(
    client, request, facility, noun, step, state, role, allowed
):
    record = RECORDS[noun](facility, state)
    client.force_login(request.getfixturevalue(ROLES[role]))
    response = client.post(reverse(f"assessments:{noun}_{step}", args=[record.pk]), DATA)
    record.refresh_from_db()
    events = WorkflowEvent.objects.filter(**{noun: record})
    if allowed:
        assert response.status_code == 302
        assert record.state == LEADS_TO[step]
        assert list(events.values_list("action", "from_state", "by")) == [
            (step, state, request.getfixturevalue(ROLES[role]).pk)
        ]
    else:
        assert response.status_code in (302, 403)
        assert record.state == state
        assert not events.exists()


def test_the_matrix_covers_every_state_and_step():
    assert {(step, state) for step, state, _role, _allowed in CASES} == {
        (step, state)
        for step in LEADS_TO
        for state in ("draft", "submitted", "returned", "approved")
    }
