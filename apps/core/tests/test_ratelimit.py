"""Rate limits: per-route counts in Redis, headers on every response, 429 past the limit,
shared by two real server processes, and not dodged by a spoofed X-Forwarded-For."""
import os
import subprocess
import sys
import time

import pytest
import requests

from conftest import free_port, wait_for_port

pytestmark = [pytest.mark.django_db, pytest.mark.urls("apps.core.tests.urls")]

BODY = {"email": "a@example.com"}


def post(client, **headers):
    return client.post("/api/test/echo", BODY, content_type="application/json", headers=headers)


def test_limited_route_reports_its_budget_on_every_response(client):
    first, second = post(client), post(client)
    assert first["X-RateLimit-Limit"] == "10"
    assert (first["X-RateLimit-Remaining"], second["X-RateLimit-Remaining"]) == ("9", "8")
    assert int(first["X-RateLimit-Reset"]) > time.time()


def test_eleventh_request_in_a_minute_is_429_with_retry_after(client):
    statuses = [post(client).status_code for _ in range(11)]
    assert statuses == [201] * 10 + [429]
    limited = post(client)
    assert limited.json()["error"] == "RATE_LIMITED"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited["X-RateLimit-Remaining"] == "0"


def test_spoofed_forwarded_for_does_not_dodge_the_limit_by_default(client):
    statuses = [post(client, **{"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(11)]
    assert statuses[-1] == 429


def test_trusted_proxy_hop_identifies_the_client(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(10):
        assert post(client, **{"X-Forwarded-For": "203.0.113.42"}).status_code == 201
    assert post(client, **{"X-Forwarded-For": "203.0.113.42"}).status_code == 429
    assert post(client, **{"X-Forwarded-For": "198.51.100.73"}).status_code == 201


@pytest.fixture
def two_servers():
    """Two separate gunicorn processes of the project (with the test routes), same Redis."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "apps.core.tests.server_settings", "DJANGO_DEBUG": "true"}
    ports = [free_port(), free_port()]
    procs = [
        subprocess.Popen([sys.executable, "-m", "gunicorn", "vantage.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
                          "--log-level", "warning"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for port in ports
    ]
    try:
        for port in ports:
            wait_for_port(port, timeout=30)
            # warm up (URLconf import) on a route that is not limited, so a loaded machine is no flake
            requests.get(f"http://127.0.0.1:{port}/api/warm-up", timeout=60)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


def test_limit_holds_across_two_server_processes(two_servers):
    # real server processes keep the real clock: start at the top of a minute if this one is nearly over
    if (left := 60 - time.time() % 60) < 15:
        time.sleep(left + 0.1)
    statuses = []
    for i in range(12):
        base = two_servers[i % 2]
        response = requests.post(f"{base}/api/test/echo", json=BODY, timeout=30,
                                 headers={"X-Forwarded-For": f"192.0.2.{i}"})
        statuses.append(response.status_code)
    assert statuses.count(201) == 10
    assert statuses[10:] == [429, 429]
