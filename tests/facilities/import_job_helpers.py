"""Big import files (more than importing.ASYNC_ROW_THRESHOLD rows) for the Celery import tests."""

from pathlib import Path

from facilities import import_jobs

from .import_helpers import csv_bytes, good_row

BIG = 2500  # rows of a "big" file: over the 2,000-row threshold
BAD_ROW = 2001  # spreadsheet row (header = 1) given an unknown commune


def big_csv(count: int = BIG, *, bad_row: int | None = None, **overrides) -> bytes:
    rows = [good_row(n, vsic_code="1104", **overrides) for n in range(1, count + 1)]
    if bad_row is not None:
        rows[bad_row - 2]["commune_code"] = "99999"
    return csv_bytes(rows)


def stored_job(settings, content: bytes, *, by, name: str = "lon.csv"):
    """A queued job for `content` stored as the upload view stores it (validation not run)."""
    directory = Path(settings.MEDIA_ROOT) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{'b' * 32}{Path(name).suffix}"
    path.write_bytes(content)
    return import_jobs.import_job_create(path=path, original_name=name, by=by)
