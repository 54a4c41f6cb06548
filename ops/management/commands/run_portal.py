"""Start web server, Celery worker and Celery beat together; Ctrl-C stops all three.

Used by `make run` for the zero-configuration demo. Production runs gunicorn, `celery worker` and
`celery beat` as separate services (see README).
"""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from ops.demo import DEMO_PASSWORD

DEMO_LOGINS = (("canbo", "cán bộ Sở"), ("coso", "cơ sở"), ("lanhdao", "lãnh đạo"))


class Command(BaseCommand):
    help = "Run the web server, a Celery worker and Celery beat until interrupted."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host, port, **options):
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
        processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
        self._print_banner(host, port)
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                dead = [name for name, p in processes.items() if p.poll() is not None]
                if dead:
                    self.stderr.write(f"Process stopped unexpectedly: {', '.join(dead)}")
                    break
                time.sleep(0.5)
        finally:
            self._stop_all(processes)

    def _print_banner(self, host, port):
        password = DEMO_PASSWORD
        lines = [
            "",
            f"SXSH Portal: http://{host}:{port}/",
            "Demo logins (development only):",
            *(f"  {user:<8} / {password}   ({label})" for user, label in DEMO_LOGINS),
            "Press Ctrl-C to stop the web server, worker and beat.",
            "",
        ]
        self.stdout.write("\n".join(lines))

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
