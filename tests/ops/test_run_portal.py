"""`manage.py run_portal` (what `make run` starts): when the web server cannot start, the worker
and beat are stopped too and the command fails (exit status 1), so `make run` and scripts see
the failure instead of a clean stop."""

import os
import signal
import socket
import subprocess
import sys

from ..celery_helpers import BASE_DIR


def test_a_taken_port_stops_everything_with_exit_status_1(tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    env = dict(os.environ)
    env.update(DEBUG="1", DATABASE_URL="", CELERY_BROKER_URL="", PORTAL_VAR_DIR=str(tmp_path))
    env.pop("CELERY_WORKER_QUEUES", None)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_portal", "--port", str(port)],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=90)
    finally:
        taken.close()
        left = True
        try:
            os.killpg(process.pid, 0)  # anything of its process group still running?
        except ProcessLookupError:
            left = False
        if left:
            os.killpg(process.pid, signal.SIGKILL)
    assert "That port is already in use" in err
    assert "Process stopped unexpectedly: web" in err
    assert "Stopped web server, worker and beat." in out
    assert process.returncode == 1
    assert not left, "the worker or beat outlived run_portal"
