"""Sending requests at the same moment, each from its own thread and test client."""

import threading

from django.db import connections
from django.test import Client


def post_concurrently(url: str, requests) -> list[int]:
    """POST each (user, data) of `requests` to `url` at once; the status codes in order."""
    barrier = threading.Barrier(len(requests))
    codes = [None] * len(requests)

    def run(i, user, data):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            codes[i] = client.post(url, data).status_code
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, user, data))
        for i, (user, data) in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return codes
