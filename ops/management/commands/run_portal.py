"""Start web server, Celery worker and Celery beat together; Ctrl-C stops all three.

When one of them stops by itself the others are stopped too; when it stopped with an error (the
port is taken, the broker folder cannot be written) the command exits with status 1; one stopped
by Ctrl-C or SIGTERM (`kill`, `pkill -f`, which may reach a child before this process) is a stop,
not an error. The URL and
the demo logins are printed once the web server answers, so the printed address works at once.

Used by `make run` for the zero-configuration demo. Production runs gunicorn, `celery worker` and
`celery beat` as separate services (see README).
"""

import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role
from ops.demo import DEMO_PASSWORD, demo_users

# Exit statuses of a child ended by Ctrl-C or SIGTERM, or by itself without an error.
STOPPED = {0, -signal.SIGINT, -signal.SIGTERM}
# runserver needs a few seconds (system checks) before it listens; the banner waits for it.
WEB_READY_SECONDS = 60
ROLE_LABELS = {
    Role.STAFF: "cán bộ Sở",
    Role.FACILITY: "cơ sở",
    Role.OFFICIAL: "lãnh đạo",
    Role.MINISTRY: "Bộ Công Thương",
}


def child_environment(host: str, port: int, environ=None) -> dict[str, str]:
    """The environment of the three processes: the e-mailed links (PORTAL_URL) lead to the
    address this portal serves unless PORTAL_URL is set (e.g. behind a proxy)."""
    environ = dict(os.environ if environ is None else environ)
    if not environ.get("PORTAL_URL"):
        # A comparison with the any-address, not a bind
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host  # nosec B104
        environ["PORTAL_URL"] = f"http://{shown}:{port}"
    return environ


def _answers(host: str, port: int) -> bool:
    """Whether something already accepts connections at host:port."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


class Command(BaseCommand):
    help = (
        "Chạy máy chủ web, một Celery worker và Celery beat đến khi dừng (Ctrl-C) / "
        "Run the web server, a Celery worker and Celery beat until interrupted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host, port, **options):
        if _answers(host, port):
            # Another server (another `make run`?): its address must not be printed as ours,
            # nor a second worker and beat started on the same broker folder.
            raise CommandError(
                f"Cổng {port} đang được dùng (Cổng SXSH khác đang chạy?); hãy dừng nó hoặc chọn "
                f"cổng khác: make run PORT=8080. Port {port} is already in use."
            )
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        celery = [sys.executable, "-m", "celery", "-A", "sxsh_portal"]
        commands = {
            "web": [sys.executable, "manage.py", "runserver", "--noreload", f"{host}:{port}"],
            # Every queue by default (CELERY_WORKER_QUEUES): the heartbeat, mails, imports and
            # reports all run in this one worker.
            "worker": [
                *celery,
                "worker",
                "--queues",
                ",".join(settings.CELERY_WORKER_QUEUES),
                "--loglevel=INFO",
                "--concurrency=2",
            ],
            "beat": [*celery, "beat", "--loglevel=INFO"],
        }
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        environ = child_environment(host, port)
        processes = {name: subprocess.Popen(cmd, env=environ) for name, cmd in commands.items()}
        failed = {}
        try:
            if self._web_answers(host, port, processes, lambda: stopping):
                self._print_banner(host, port)
            while not stopping:
                codes = {name: p.poll() for name, p in processes.items()}
                dead = [name for name, code in codes.items() if code is not None]
                if dead and not stopping:  # not the children's own Ctrl-C (same group)
                    self.stderr.write(f"Process stopped unexpectedly: {', '.join(dead)}")
                    failed = {name: codes[name] for name in dead if codes[name] not in STOPPED}
                    break
                time.sleep(0.5)
        finally:
            self._stop_all(processes)
        if failed:
            # `make run` and scripts see the failure (e.g. the port is taken), not a clean stop.
            raise CommandError(
                "Tiến trình dừng vì lỗi: "
                + ", ".join(f"{name} (mã thoát {code})" for name, code in failed.items())
            )

    def _web_answers(self, host, port, processes, stopping) -> bool:
        """Wait until the web server accepts connections; False if a process stopped first."""
        deadline = time.monotonic() + WEB_READY_SECONDS
        while not stopping() and time.monotonic() < deadline:
            if any(process.poll() is not None for process in processes.values()):
                return False
            try:
                with socket.create_connection((host, port), timeout=1):
                    return processes["web"].poll() is None
            except OSError:
                time.sleep(0.2)
        return not stopping()

    def _print_banner(self, host, port):
        password = DEMO_PASSWORD
        lines = [
            "",
            f"SXSH Portal: http://{host}:{port}/",
            "Demo logins (development only):",
            *(
                f"  {user:<12} / {password}   ({ROLE_LABELS[role]})"
                for user, role, _name in demo_users()
            ),
            "Press Ctrl-C to stop the web server, worker and beat.",
            "",
        ]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()  # shown at once when piped (`make run | tee run.log`)

    def _stop_all(self, processes):
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
        self.stdout.write("Stopped web server, worker and beat.")
