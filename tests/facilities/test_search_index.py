from django.db import connection

from tests.factories import FacilityFactory


def test_trigram_index_serves_accent_free_search(db):
    FacilityFactory.create_batch(5)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM facilities_facility WHERE search_text LIKE %s", ["%hai duong%"]
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "facility_search_trgm_idx" in plan
