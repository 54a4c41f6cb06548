"""README.md and docs/*.md point readers at files of the repository (`reports/facts.py`) and at
functions in them (`facilities/size.py::size_class`): docs/testing.md tells a reader where to
plant a bug, so a moved function must not leave the docs pointing at a file without it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TOP_LEVEL = {p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")}
# `app/module.py` or `app/module.py::name` (a function, class or constant, or `Class.method`).
REFERENCE = re.compile(r"`([a-z_]+(?:/[\w.-]+)+\.py)(?:::([\w.]+))?`")


def references():
    for doc in DOCS:
        for path, name in REFERENCE.findall(doc.read_text(encoding="utf-8")):
            if path.split("/")[0] in TOP_LEVEL:
                yield doc.relative_to(ROOT), path, name


def test_the_docs_name_files_that_exist():
    found = list(references())
    assert any(name for _, _, name in found)  # the pattern still finds `file::name` references
    missing = [(str(doc), path) for doc, path, _ in found if not (ROOT / path).is_file()]
    assert missing == []


def test_the_named_functions_are_in_the_named_files():
    wrong = []
    for doc, path, name in references():
        if not name or not (ROOT / path).is_file():
            continue
        source = (ROOT / path).read_text(encoding="utf-8")
        last = name.split(".")[-1]
        if not re.search(
            rf"^\s*(?:async\s+)?(?:def|class)\s+{last}\b|^{last}\s*[:=]", source, re.M
        ):
            wrong.append((str(doc), f"{path}::{name}"))
    assert wrong == []
