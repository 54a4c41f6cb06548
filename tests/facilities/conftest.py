import pytest

from facilities import tasks


@pytest.fixture
def enqueued(monkeypatch):
    """(task name, job id) of every import task sent; nothing reaches the broker."""
    sent = []
    for name in ("validate_import_task", "run_import_task"):
        task = getattr(tasks, name)
        monkeypatch.setattr(task, "delay", lambda job_id, name=name: sent.append((name, job_id)))
    return sent
