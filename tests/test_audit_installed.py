"""scripts/audit_installed.py, the dependency audit used where only PyPI's project-level JSON is
reachable: run as a subprocess against a loopback server that answers like PyPI."""

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit_installed.py"
INSTALLED = {
    d.metadata["Name"].lower().replace("_", "-"): d.version
    for d in metadata.distributions()
    if d.metadata["Name"]
}


def serve(overrides: dict):
    """A PyPI look-alike: every project's latest release is the installed one, no advisories,
    except what `overrides` says ({name: {"latest": v, "vulnerabilities": [...]} or 404})."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            name = self.path.split("/")[2]
            answer = overrides.get(name, {})
            if answer == 404:
                self.send_error(404)
                return
            body = {
                "info": {"name": name, "version": answer.get("latest", INSTALLED.get(name))},
                "vulnerabilities": answer.get("vulnerabilities", []),
            }
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(overrides: dict) -> subprocess.CompletedProcess:
    server = serve(overrides)
    try:
        url = f"http://127.0.0.1:{server.server_port}/pypi/{{name}}/json"
        return subprocess.run(
            [sys.executable, str(SCRIPT)],
            env={"PYPI_JSON_URL": url, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.shutdown()


def test_everything_latest_and_clean_passes():
    result = run({})
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"audited {len(INSTALLED)} of {len(INSTALLED)}" in result.stdout


def test_a_known_vulnerability_fails_and_is_named():
    advisory = {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-1"], "fixed_in": []}
    withdrawn = {"id": "PYSEC-2099-2", "withdrawn": "2099-01-01T00:00:00Z"}
    result = run({"django": {"vulnerabilities": [advisory, withdrawn]}})
    assert result.returncode == 1
    assert f"django {INSTALLED['django']}: PYSEC-2099-1" in result.stdout
    assert "PYSEC-2099-2" not in result.stdout  # withdrawn advisories do not count


def test_an_older_release_is_listed_as_not_audited():
    result = run({"redis": {"latest": "999.0"}})
    assert result.returncode == 2
    assert f"redis {INSTALLED['redis']} (latest 999.0)" in result.stdout
    assert "NOT AUDITED" in result.stdout


def test_a_failed_lookup_fails():
    result = run({"openpyxl": 404})
    assert result.returncode == 1
    assert "openpyxl" in result.stdout and "lookup failed" in result.stdout
