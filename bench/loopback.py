"""What the load benchmarks share: simulated users over HTTP on loopback, their timings and
errors, the CPU used by each part (web, PostgreSQL, Redis), and a gunicorn to measure.

Import `common` first where Django settings are needed: it puts the project root on `sys.path`.
"""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from common import ROOT

# --- HTTP clients on loopback ----------------------------------------------------------------

HOST = "127.0.0.1"


def session_cookie(username: str, **defaults) -> str:
    """A session of user `username` (created with `defaults` when missing), written straight
    into the session store: the pages are measured, not the login."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    user, _ = User.objects.get_or_create(username=username, defaults=defaults)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"sessionid={session.session_key}"


@dataclass
class Results:
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def merge(self, timings: dict, errors: dict) -> None:
        with self.lock:
            for label, values in timings.items():
                self.timings[label].extend(values)
            for label, values in errors.items():
                self.errors[label].extend(values)


class Client:
    """One simulated user on 127.0.0.1:`port`: a keep-alive connection (re-opened after
    gunicorn closes it). `get` and `post` time a request under a label and record as an error
    any status other than `expect` (200 for GET, 302 for POST) and any failure to answer."""

    def __init__(self, cookie: str, port: int, timeout: float = 30):
        self.port, self.timeout = port, timeout
        self.headers = {"Cookie": cookie, "Host": HOST, "Accept-Language": "vi"}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    def request(self, label: str, method: str, path: str, *, body=None, headers=None, expect=200):
        """Time one request; returns (status, body text) or None when it got no answer."""
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers={**self.headers, **(headers or {})})
            response = self.conn.getresponse()
            content = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            self.errors[label].append(f"{path}: {type(exc).__name__}: {exc}")
            return None
        self.timings[label].append((time.perf_counter() - start) * 1000)
        if status != expect:
            self.errors[label].append(f"{method} {path}: HTTP {status}")
        return status, content.decode("utf-8", "replace")

    def get(self, label: str, path: str):
        return self.request(label, "GET", path)

    def post(self, label: str, path: str, data: list[tuple[str, str]], csrf: str, expect=302):
        """POST a form with `csrf` (a 32-character secret, see `csrf_secret`) as cookie and
        token; a saved form answers with a redirect."""
        from urllib.parse import urlencode

        # Plain HTTP without Origin: Django checks the token against the cookie only.
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{self.headers['Cookie']}; csrftoken={csrf}",
        }
        return self.request(
            label, "POST", path, body=urlencode(data), headers=headers, expect=expect
        )

    def close(self) -> None:
        self.conn.close()


def csrf_secret() -> str:
    """A CSRF secret of the client's own: sent as the cookie and as the form's token."""
    from django.middleware.csrf import _get_new_csrf_string

    return _get_new_csrf_string()


class FormFields(HTMLParser):
    """The fields of each <form> of a page, as a browser would post them (checked boxes and
    radios, the selected options, text areas; no buttons): `forms` is a list of lists of
    (name, value)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._current: list | None = None
        self._select: str | None = None
        self._select_first: tuple | None = None
        self._selected = False
        self._textarea: str | None = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._current = []
            self.forms.append(self._current)
        elif self._current is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind == "checkbox" else ""
            self._current.append((a["name"], a.get("value") or default))
        elif tag == "select" and a.get("name"):
            self._select, self._select_first, self._selected = a["name"], None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = (self._select, value)
            if "selected" in a and not self._selected:
                self._current.append((self._select, value))
                self._selected = True
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._current is None:
            return
        if tag == "select" and self._select:
            if not self._selected and self._select_first:
                self._current.append(self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea:
            self._current.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            self._current = None

    def form_with(self, name: str) -> list[tuple[str, str]] | None:
        """The first form that has a field `name`."""
        return next((f for f in self.forms if any(n == name for n, _ in f)), None)


def run_clients(cookies: list[str], port: int, body) -> Results:
    """Run `body(client, index)` in one thread per cookie and gather what they measured."""
    results = Results()

    def thread_main(index: int) -> None:
        client = Client(cookies[index], port)
        try:
            body(client, index)
        finally:
            client.close()
            results.merge(client.timings, client.errors)

    threads = [threading.Thread(target=thread_main, args=(i,)) for i in range(len(cookies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values: list[float], pct: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def report(results: Results, labels: list[str]) -> tuple[int, float]:
    """Print a line per label and the total; return (errors, overall p95)."""
    print(f"{'page':>10} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    everything: list[float] = []
    total_errors = 0
    for label in labels:
        values = results.timings.get(label, [])
        errors = len(results.errors.get(label, []))
        everything += values
        total_errors += errors
        if values or errors:
            print(
                f"{label:>10} {len(values) + errors:>9} {errors:>7} {percentile(values, 50):8.1f} "
                f"{percentile(values, 95):8.1f} {max(values, default=float('nan')):8.1f}"
            )
    overall = percentile(everything, 95)
    if len(labels) > 1:
        print(
            f"{'all':>10} {len(everything) + total_errors:>9} {total_errors:>7} "
            f"{percentile(everything, 50):8.1f} {overall:8.1f} "
            f"{max(everything, default=float('nan')):8.1f}"
        )
    for label in labels:
        for message in results.errors.get(label, [])[:3]:
            print(f"  error: {message}")
    return total_errors, overall


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISS"


def loadavg() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


# Which processes a CPU figure belongs to, by command name in /proc (Linux only).
CPU_PARTS = {"web": ("gunicorn",), "PostgreSQL": ("postgres",), "Redis": ("redis-server",)}


def cpu_by_part(web_pid: int) -> dict[str, dict[int, float]]:
    """CPU seconds (user + system) so far of each live process, by part: the web server (the
    gunicorn master `web_pid` and its workers), PostgreSQL, Redis; {} parts off Linux."""
    tick = os.sysconf("SC_CLK_TCK")
    found: dict[str, dict[int, float]] = {part: {} for part in CPU_PARTS}
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        ppid, seconds = int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
        pid = int(entry.name)
        if pid == web_pid or (ppid == web_pid and "gunicorn" in cmdline):
            found["web"][pid] = seconds
        elif any(name in cmdline for name in CPU_PARTS["PostgreSQL"]):
            found["PostgreSQL"][pid] = seconds
        elif any(name in cmdline for name in CPU_PARTS["Redis"]):
            found["Redis"][pid] = seconds
    return found


class CpuMeter:
    """CPU used between start() and stop() by the web server, PostgreSQL, Redis and this
    process (the bench's clients): processes started meanwhile count from zero, processes that
    ended meanwhile are lost (persistent connections keep PostgreSQL's backends alive)."""

    def __init__(self, web_pid: int):
        self.web_pid = web_pid

    def start(self) -> None:
        self.machine = machine_cpu()
        self.before = cpu_by_part(self.web_pid)
        self.own = sum(os.times()[:2])

    def stop(self) -> dict[str, float]:
        after = cpu_by_part(self.web_pid)
        used = {
            part: sum(s - self.before[part].get(pid, 0.0) for pid, s in pids.items())
            for part, pids in after.items()
        }
        used["bench clients"] = sum(os.times()[:2]) - self.own
        machine = {k: v - self.machine.get(k, 0.0) for k, v in machine_cpu().items()}
        if machine:
            used["other (kernel, ended processes, other programs)"] = max(
                0.0, machine["busy"] - sum(used.values())
            )
            used["idle"] = machine["idle"]
            used["waiting for disk (iowait)"] = machine["iowait"]
            used["taken by the hypervisor (steal)"] = machine["steal"]
        return used


def machine_cpu() -> dict[str, float]:
    """Seconds of all CPUs since boot (/proc/stat): busy, idle, iowait, steal; {} off Linux."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    except (OSError, ValueError):
        return {}
    tick = os.sysconf("SC_CLK_TCK")
    user, nice, system, idle, iowait, irq, softirq, steal = (v / tick for v in fields)
    return {
        "busy": user + nice + system + irq + softirq,
        "idle": idle,
        "iowait": iowait,
        "steal": steal,
    }


def print_cpu(used: dict[str, float], elapsed: float, requests: int) -> None:
    """Where the CPU went: seconds and ms per request by part, against the machine's capacity."""
    capacity = elapsed * (os.cpu_count() or 1)
    print(f"  CPU time of the {os.cpu_count()} CPUs over {elapsed:.1f} s = {capacity:.1f} s:")
    for part, seconds in used.items():
        per_request = f", {1000 * seconds / max(requests, 1):.1f} ms per request"
        unused = part.startswith(("idle", "waiting", "taken"))
        print(
            f"    {part}: {seconds:.1f} s ({seconds / capacity:.0%}){'' if unused else per_request}"
        )


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) != 0


def start_gunicorn(port: int, workers: int, env: dict, timeout: int = 60) -> subprocess.Popen:
    """gunicorn serving the portal on 127.0.0.1:`port` with `env`; returns once it answers."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "sxsh_portal.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--timeout",
            str(timeout),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    for _ in range(150):
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with {process.returncode}")
        try:  # any answer will do (/healthz would say 503 until its first background check)
            conn = http.client.HTTPConnection(HOST, port, timeout=10)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    sys.exit("gunicorn did not answer within 30 s")


def reader_path(label: str, rng, facility_ids, searches, dashboard_years, api_years) -> str | None:
    """The GET path of one reading request of the load benches (list, search, detail,
    dashboard, api); None for a label they draw themselves."""
    if label == "list":
        page = rng.choice([1, 1, 1, rng.randint(2, 50)])
        return "/facilities/" if page == 1 else f"/facilities/?page={page}"
    if label == "search":
        return f"/facilities/?q={rng.choice(searches)}"
    if label == "detail":
        return f"/facilities/{rng.choice(facility_ids)}/"
    if label == "dashboard":
        return f"/reports/dashboard/?year={rng.choice(dashboard_years)}"
    if label == "api":
        return f"/api/v1/indicators/?year={rng.choice(api_years)}"
    return None
