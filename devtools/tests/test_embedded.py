"""`make run` and `make test` on a machine where nothing answers at DATABASE_URL / REDIS_URL: they start
embedded PostgreSQL and Redis on exactly those ports, work, and stop them again, never touching the
machine's own servers."""
import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


def answers(port: int) -> bool:
    from devtools.embedded import answers as probe

    return probe("127.0.0.1", port)


@pytest.fixture
def empty_ports(tmp_path):
    """Environment for a second stack whose PostgreSQL and Redis ports have nothing listening."""
    ports = {name: free_port() for name in ("postgres", "redis", "web", "kafka", "stripe")}
    assert not answers(ports["postgres"]) and not answers(ports["redis"])
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTEST", "DJANGO_SETTINGS", "KAFKA_", "STRIPE_", "CELERY_"))}
    env.update({
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{ports['postgres']}/vantage_embedded",
        "REDIS_URL": f"redis://127.0.0.1:{ports['redis']}/0",
        "EMBEDDED_STATE_DIR": str(tmp_path / "embedded"),
        "PORT": str(ports["web"]), "KAFKA_PORT": str(ports["kafka"]), "LOCAL_STRIPE_PORT": str(ports["stripe"]),
    })
    return ports, env


def machine_services_still_answer() -> bool:
    return answers(5432) and answers(6379)


def healthz(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:  # noqa: S310
            return response.status
    except OSError:
        return 0


def test_make_run_starts_embedded_servers_reaches_healthz_and_stops_them(empty_ports):
    ports, env = empty_ports
    process = subprocess.Popen(["make", "run"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while healthz(ports["web"]) != 200:
            assert process.poll() is None, process.stdout.read().decode(errors="replace")[-4000:]
            assert time.monotonic() < deadline, "make run did not become healthy within 5 minutes"
            time.sleep(1)
        assert answers(ports["postgres"]) and answers(ports["redis"])
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C, as a developer would
        output = process.communicate(timeout=120)[0].decode(errors="replace")

    assert f"started an embedded server at 127.0.0.1:{ports['postgres']}" in output
    assert f"started an embedded server at 127.0.0.1:{ports['redis']}" in output
    assert not answers(ports["postgres"]) and not answers(ports["redis"]), output[-4000:]
    assert machine_services_still_answer()


def test_make_test_passes_on_embedded_servers(empty_ports):
    ports, env = empty_ports
    env["PYTEST_WORKERS"] = "1"

    result = subprocess.run(["make", "test", "TEST_ARGS=devtools/tests/test_image.py apps/core/tests/test_cors.py"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)

    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert re.search(r"\b\d+ passed\b", result.stdout) and not re.search(r"\b\d+ failed\b", result.stdout)
    assert not answers(ports["postgres"]) and not answers(ports["redis"])
    assert machine_services_still_answer()
