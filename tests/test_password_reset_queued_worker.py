"""As under `make run` (embedded filesystem broker, DEBUG without a mail server): the web
process queues the "Quên mật khẩu" mail, the worker prints it in the terminal, link included, and
logs nothing else of it."""

import re
import subprocess
import sys

import pytest

from .celery_helpers import BASE_DIR, celery_worker, wait_for, worker_env
from .factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# The web process of the demo, in one shot: the reset page posted as a browser would.
POST_RESET = """
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
response = Client().post('/accounts/password/reset/', {'email': %r})
assert response.status_code == 302, response.status_code
"""


def _post_reset(env, email):
    web = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", POST_RESET % email],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert web.returncode == 0, web.stderr


def test_the_demo_worker_prints_the_queued_reset_mail(tmp_path):
    user = UserFactory(username="coso_quen", email="coso.quen@example.vn")
    var_dir = tmp_path / "var"
    env = worker_env(var_dir=var_dir, broker_url=None, DEBUG="1", PORTAL_URL="http://demo.test")
    for name in ("EMAIL_URL", "EMAIL_HOST"):
        env.pop(name, None)
    queue_dir = var_dir / "celery-broker" / "queue"

    _post_reset(env, "khong-co@example.vn")
    assert not list(queue_dir.glob("*.msg")), "nothing queued for an unknown address"
    _post_reset(env, user.email)
    assert len(list(queue_dir.glob("*.msg"))) == 1, "the mail waits in the broker's folder"

    with celery_worker(env, log_dir=tmp_path) as worker:
        wait_for(
            lambda: (
                "accounts.tasks.send_password_reset_mail" in worker.log()
                and "succeeded" in worker.log()
            ),
            timeout=30,
            worker=worker,
            what="the reset mail sent",
        )
        log = worker.log()
    assert "Subject: Đặt lại mật khẩu Cổng thông tin SXSH" in log
    assert f"To: {user.email}" in log
    [link] = re.findall(r"http://demo\.test(/accounts/password/reset/[^/\s]+/[^/\s]+/)", log)
    # The link is in the printed mail only: Celery's own lines do not repeat it.
    assert log.count(link.split("/")[-2]) == 1
    assert not list(queue_dir.glob("*.msg"))
