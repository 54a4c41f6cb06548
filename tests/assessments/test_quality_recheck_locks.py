"""The after-commit refresh of a facility's findings (quality.refresh_facilities) waits for a
save that holds one of its reports (services: lock(report), then that report's findings) before
writing any finding: otherwise each would hold a row the other needs at commit (a deadlock, and
the facility's save lost with a 500)."""

import threading
import time

import pytest
from django.db import connections, transaction

from assessments import quality
from assessments.models import AnnualReport

from ..factories import AnnualReportFactory, FacilityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_refresh_waits_for_a_report_being_saved():
    facility = FacilityFactory()
    held, _other = (AnnualReportFactory(facility=facility, year=y) for y in (2018, 2019))
    done = threading.Event()

    def refresh():
        try:
            quality.refresh_facilities([facility.pk])
            done.set()
        finally:
            connections.close_all()

    with transaction.atomic():
        AnnualReport.objects.select_for_update().get(pk=held.pk)  # a save of it, in progress
        worker = threading.Thread(target=refresh)
        worker.start()
        time.sleep(1)
        waited = not done.is_set()
    worker.join(30)

    assert waited, "the refresh wrote findings while a report of its facility was being saved"
    assert done.is_set()
