"""/metrics under gunicorn (vantage/gunicorn.conf.py, as the Dockerfile and deploy/k8s run it):
whichever worker answers a scrape, the counters are the sum over all workers, and the scrape-time
collectors are still served. gunicorn's own refusals (before Django) come in the API's error envelope, and a
slow client does not hold a worker."""
import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[3]
POSTS = 24


@contextlib.contextmanager
def served_by_gunicorn(tmp_path, workers: int):
    """The project under gunicorn with its config, as the Dockerfile runs it; yields the base URL."""
    port = free_port()
    env = {key: value for key, value in os.environ.items()
           if key not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "PROMETHEUS_MULTIPROC_DIR")}
    env.update(PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"), GUNICORN_WORKERS=str(workers))
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "vantage/gunicorn.conf.py", "vantage.wsgi",
         "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, timeout=30)
        url = f"http://127.0.0.1:{port}"
        _wait_until_answering(url)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def gunicorn(tmp_path):
    with served_by_gunicorn(tmp_path, workers=2) as url:
        yield url


def _wait_until_answering(url: str, timeout: float = 60.0) -> None:
    """The master binds before its workers have imported Django (slow on a busy machine)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"{url}/healthz?probe=live", timeout=30)
            return
        except (OSError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def post_count(metrics: str) -> float:
    match = re.search(r'^django_http_requests_total_by_method_total\{method="POST"\} (\S+)$', metrics, re.M)
    return float(match.group(1)) if match else 0.0


def test_every_scrape_reports_the_total_of_all_workers(gunicorn):
    for _ in range(POSTS):  # spread over the workers; 405, counted by method
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(urllib.request.Request(f"{gunicorn}/healthz", data=b"", method="POST"), timeout=30)
    time.sleep(0.2)

    scrapes = [urllib.request.urlopen(f"{gunicorn}/metrics", timeout=30).read().decode() for _ in range(8)]

    assert [post_count(metrics) for metrics in scrapes] == [POSTS] * len(scrapes)
    assert all("outbox_events_unpublished" in metrics for metrics in scrapes)  # scrape-time collectors too


def test_a_request_line_over_gunicorns_limit_is_a_json_414_envelope(gunicorn):
    # found by make proof's fuzzer: gunicorn answered its HTML page, which the OpenAPI contract does not describe
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{gunicorn}/api/v1/merchant/orders?per_page={'9' * 5000}", timeout=30)
    assert refused.value.code == 414
    assert refused.value.headers["Content-Type"] == "application/json"
    body = json.loads(refused.value.read())
    assert body["error"] == "URI_TOO_LONG" and "too large" in body["message"] and body["request_id"].startswith("req_")


def test_a_slow_client_does_not_hold_a_worker(tmp_path):
    # given: one worker (the config's threads), and a client that sends half a request and waits
    with served_by_gunicorn(tmp_path, workers=1) as url, \
            socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1]))) as slow:
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # the headers never end
        time.sleep(0.5)
        # when / then: another shopper is served meanwhile (a sync worker would wait out the slow one)
        assert urllib.request.urlopen(f"{url}/healthz?probe=live", timeout=5).status == 200
