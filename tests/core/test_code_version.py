"""The code fingerprint in the data cache's keys (core.code_version): a release that changes the
code never reads values cached by the one before, while the same code shares them."""

from core import data_version
from core.code_version import code_version


def _tree(root):
    (root / "app" / "templates").mkdir(parents=True)
    (root / "app" / "views.py").write_text("VALUE = 1\n")
    (root / "app" / "templates" / "page.html").write_text("<p>{{ value }}</p>\n")
    (root / "tests").mkdir()
    (root / "tests" / "test_app.py").write_text("def test(): pass\n")
    (root / ".venv" / "lib").mkdir(parents=True)
    (root / ".venv" / "lib" / "site.py").write_text("x = 1\n")
    (root / "var").mkdir()
    (root / "var" / "notes.txt").write_text("runtime data\n")


def _version(root):
    code_version.cache_clear()
    try:
        return code_version(root)
    finally:
        code_version.cache_clear()


def test_the_fingerprint_follows_the_code_and_nothing_else(tmp_path):
    _tree(tmp_path)
    first = _version(tmp_path)
    assert len(first) == 16
    assert _version(tmp_path) == first

    (tmp_path / "tests" / "test_app.py").write_text("def test(): assert True\n")
    (tmp_path / ".venv" / "lib" / "site.py").write_text("x = 2\n")
    (tmp_path / "var" / "notes.txt").write_text("other runtime data\n")
    assert _version(tmp_path) == first

    (tmp_path / "app" / "templates" / "page.html").write_text("<p>{{ value|floatformat }}</p>\n")
    edited = _version(tmp_path)
    assert edited != first

    (tmp_path / "app" / "forms.py").write_text("")
    assert _version(tmp_path) not in (first, edited)


def test_a_moved_file_changes_the_fingerprint(tmp_path):
    _tree(tmp_path)
    first = _version(tmp_path)
    (tmp_path / "app" / "views.py").rename(tmp_path / "app" / "models.py")
    assert _version(tmp_path) != first


def test_values_cached_by_other_code_are_not_read(monkeypatch):
    from django.core.cache import cache

    cache.clear()
    # The same committed data all along: only the code changes.
    monkeypatch.setattr(data_version, "current_token", lambda using="default": "same-data")
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    monkeypatch.setattr(data_version, "code_version", lambda: "release-a")
    assert data_version.cached("code-version-test", compute) == 1
    assert data_version.cached("code-version-test", compute) == 1  # the same code: cached

    monkeypatch.setattr(data_version, "code_version", lambda: "release-b")
    assert data_version.cached("code-version-test", compute) == 2
    assert data_version.cached_counts([2020], lambda years: {2020: "b"}, name="cv") == {2020: "b"}

    monkeypatch.setattr(data_version, "code_version", lambda: "release-a")
    assert data_version.cached("code-version-test", compute) == 1
    assert data_version.cached_counts([2020], lambda years: {2020: "a"}, name="cv") == {2020: "a"}
    cache.clear()
