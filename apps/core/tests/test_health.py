"""`/healthz` reports database, Redis and Kafka, and names the failing check."""
import pytest

pytestmark = pytest.mark.django_db


def test_healthz_ok_with_all_three_checks(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok", "kafka": "ok"}}


def test_healthz_names_the_failing_check(client, settings):
    from conftest import free_port

    settings.KAFKA_BOOTSTRAP_SERVERS = f"127.0.0.1:{free_port()}"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "ok", "kafka": "error"}


def test_metrics_endpoint_exports_prometheus_text(client):
    response = client.get("/metrics")
    assert response.status_code == 200
    assert b"django_http_requests" in response.content


def test_liveness_probe_checks_no_dependency(client, settings):
    from conftest import free_port

    settings.KAFKA_BOOTSTRAP_SERVERS = f"127.0.0.1:{free_port()}"
    response = client.get("/healthz?probe=live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {}}


def test_readiness_probe_ignores_kafka_but_not_the_database_or_redis(client, settings):
    from conftest import free_port

    settings.KAFKA_BOOTSTRAP_SERVERS = f"127.0.0.1:{free_port()}"
    response = client.get("/healthz?probe=ready")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


def test_unknown_probe_is_refused(client):
    response = client.get("/healthz?probe=startup")
    assert response.status_code == 400
    assert "live, ready" in response.json()["message"]
