"""The import commands (DESIGN §5) as a test calls them: what they print, and for a refused file
the problem lines with exit status 1."""

import io

import pytest
from django.core.management import CommandError, call_command


def run_import(command: str, path, *args) -> str:
    """Its standard output for a file it accepts."""
    out = io.StringIO()
    call_command(command, str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_import_failing(command: str, path, *args) -> list[str]:
    """The lines it prints for a file it refuses (exit status 1)."""
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(command, str(path), *args, stdout=out, stderr=io.StringIO())
    assert caught.value.returncode == 1
    return out.getvalue().splitlines()
