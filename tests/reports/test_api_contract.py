"""A client nobody here wrote reads the API from its schema and finds nothing wrong: schemathesis
with every check over every operation, against a live server with demo data and a token from
`issue_token` (issue 19). Any finding — a server error, an undocumented status or field, a valid
request refused, an invalid one accepted, a bad credential let in — fails the test."""

import io
import subprocess
import sys

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def demo_token(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        # The run sends a few hundred requests in seconds; the limit itself is tested elsewhere.
        "DEFAULT_THROTTLE_RATES": {"api": "100000/minute"},
    }
    call_command("seed_demo", "--facilities", "30", "--seed", "7", "--force", stdout=io.StringIO())
    out = io.StringIO()
    call_command("issue_token", "canbo", "--days", "1", stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_schemathesis_finds_nothing(live_server, demo_token, tmp_path):
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{live_server.url}/api/v1/schema/?format=json",
        "--checks",
        "all",
        "--header",
        f"Authorization: Token {demo_token}",
        "--max-examples",
        "40",
        "--seed",
        "2016",
        "--report-dir",
        str(tmp_path),
        "--no-color",
    ]
    run = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        command, capture_output=True, text=True, timeout=600, cwd=tmp_path, check=False
    )

    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    assert "3 passed" in output or "Tested: 3" in output, output[-3000:]
