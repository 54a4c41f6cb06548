"""`manage.py run_portal` (what `make run` starts): when the web server cannot start, the worker
and beat are stopped too and the command fails (exit status 1), so `make run` and scripts see
the failure instead of a clean stop. The URL it prints answers as soon as it is printed, also
when the output goes through a pipe (`make run | tee run.log`), and Ctrl-C leaves no process."""

import http.client
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time

from ..celery_helpers import BASE_DIR


def _demo_env(tmp_path) -> dict[str, str]:
    """`make run`'s environment: the embedded defaults (SQLite, filesystem broker) under tmp."""
    env = dict(os.environ)
    env.update(DEBUG="1", DATABASE_URL="", CELERY_BROKER_URL="", PORTAL_VAR_DIR=str(tmp_path))
    env.pop("CELERY_WORKER_QUEUES", None)
    return env


def _start_portal(port: int, env: dict, stderr) -> subprocess.Popen:
    """`manage.py run_portal` on `port` in its own process group, its output read as text."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_portal", "--port", str(port)],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        start_new_session=True,
    )


def _kill_leftovers(process) -> bool:
    """Whether anything of `process`'s group was still running (then killed)."""
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return False
    os.killpg(process.pid, signal.SIGKILL)
    return True


def test_a_server_already_answering_on_the_port_is_refused_before_anything_starts(tmp_path):
    """Another `make run` on the port: its address is not printed as ours, and no second worker
    and beat start on the same broker folder."""
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    process = _start_portal(port, _demo_env(tmp_path), subprocess.PIPE)
    try:
        out, err = process.communicate(timeout=90)
    finally:
        taken.close()
        left = _kill_leftovers(process)
    assert f"Cổng {port} đang được dùng" in err
    assert "SXSH Portal:" not in out
    assert "worker" not in out.lower()
    assert process.returncode == 1
    assert not left


def test_a_taken_port_stops_everything_with_exit_status_1(tmp_path):
    # Bound but not listening: nothing answers, yet the web server cannot bind it.
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    port = taken.getsockname()[1]
    process = _start_portal(port, _demo_env(tmp_path), subprocess.PIPE)
    try:
        out, err = process.communicate(timeout=90)
    finally:
        taken.close()
        left = _kill_leftovers(process)
    assert "That port is already in use" in err
    assert "Process stopped unexpectedly: web" in err
    assert "Stopped web server, worker and beat." in out
    assert process.returncode == 1
    assert not left, "the worker or beat outlived run_portal"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _lines(stream, into: queue.Queue) -> None:
    for line in stream:
        into.put(line)


def test_the_printed_url_answers_when_printed_and_ctrl_c_stops_everything(tmp_path):
    port = _free_port()
    env = _demo_env(tmp_path)
    env.pop("PYTHONUNBUFFERED", None)  # a pipe, as for `make run | tee run.log`
    process = _start_portal(port, env, subprocess.DEVNULL)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, lines), daemon=True).start()
    url_line, answer = None, None
    try:
        deadline = time.monotonic() + 90
        while url_line is None and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if line.startswith("SXSH Portal: http://"):
                url_line = line.strip()
                client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                try:
                    client.request("GET", "/healthz")
                    answer = client.getresponse().status
                except OSError as exc:
                    answer = exc
                finally:
                    client.close()
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in the terminal: the whole group
        process.wait(timeout=60)
    finally:
        left = _kill_leftovers(process)
    assert url_line == f"SXSH Portal: http://127.0.0.1:{port}/"
    assert isinstance(answer, int), f"the printed URL did not answer: {answer!r}"
    assert process.returncode == 0
    assert not left, "the web server, worker or beat outlived Ctrl-C"


def test_a_child_stopped_by_sigterm_is_a_stop_not_an_error(tmp_path):
    """`pkill -f …` signals the web server before run_portal itself: everything stops and the
    command exits 0 (it was stopped, nothing failed)."""
    port = _free_port()
    process = _start_portal(port, _demo_env(tmp_path), subprocess.PIPE)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, lines), daemon=True).start()
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if lines.get(timeout=1).startswith("SXSH Portal: http://"):
                    break
            except queue.Empty:
                continue
        web = subprocess.run(
            ["pgrep", "-P", str(process.pid), "-f", "runserver"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert len(web) == 1
        os.kill(int(web[0]), signal.SIGTERM)
        err = process.stderr.read()
        process.wait(timeout=60)
    finally:
        left = _kill_leftovers(process)
    assert "Tiến trình dừng vì lỗi" not in err
    assert process.returncode == 0
    assert not left, "the worker or beat outlived the web server"


def test_mailed_links_follow_the_port_the_portal_serves():
    """`make run PORT=8080`: the workflow e-mails the worker sends link to :8080 (PORTAL_URL
    defaults to :8000), unless PORTAL_URL is set (a proxy's public address)."""
    from ops.management.commands.run_portal import child_environment

    assert child_environment("127.0.0.1", 8080, {})["PORTAL_URL"] == "http://127.0.0.1:8080"
    assert child_environment("0.0.0.0", 8081, {})["PORTAL_URL"] == "http://127.0.0.1:8081"
    public = {"PORTAL_URL": "https://sxsh.example.gov.vn"}
    assert child_environment("127.0.0.1", 8080, public)["PORTAL_URL"] == public["PORTAL_URL"]
