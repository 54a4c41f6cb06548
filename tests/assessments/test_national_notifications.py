"""A national installation (DESIGN §2): a facility's submitted report is mailed to its own
province's staff only; another province's staff never learn of the facility."""

from django.core import mail

from accounts.models import Role
from assessments.notifications import report_submitted

from ..factories import AnnualReportFactory, UserFactory
from .national_helpers import national, staff_bn, staff_hp, two_provinces  # noqa: F401


def test_a_submitted_report_is_mailed_to_its_provinces_staff(
    national,  # noqa: F811
    two_provinces,  # noqa: F811
    staff_bn,  # noqa: F811
    staff_hp,  # noqa: F811
):
    bac_ninh, hai_phong = two_provinces
    UserFactory(username="bo", role=Role.MINISTRY, email="bo@example.vn")
    report = AnnualReportFactory(facility=hai_phong, year=2019, state="submitted")
    assert report_submitted(report) == 1
    [message] = mail.outbox
    assert message.to == [staff_hp.email]
    assert hai_phong.name in message.subject

    mail.outbox.clear()
    report_submitted(AnnualReportFactory(facility=bac_ninh, year=2019, state="submitted"))
    assert [m.to for m in mail.outbox] == [[staff_bn.email]]


def test_a_province_installation_mails_every_staff_member(db, facility):
    first = UserFactory(username="a", role=Role.STAFF, email="a@example.vn")
    second = UserFactory(username="b", role=Role.STAFF, email="b@example.vn")
    report_submitted(AnnualReportFactory(facility=facility, year=2019, state="submitted"))
    [message] = mail.outbox
    assert sorted(message.to) == [first.email, second.email]
