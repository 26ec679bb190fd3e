"""/metrics behind METRICS_AUTH_TOKEN: scrapes without the bearer token are 401, and the deployed
Prometheus configuration sends the token the Secret holds."""
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings

pytestmark = pytest.mark.django_db

SCRAPE_CONFIG = Path(settings.BASE_DIR) / "deploy" / "prometheus" / "scrape.yml"
TOKEN = "mtr_3c9e51f0a7d24b68"


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x",
                                           f"Bearer {TOKEN[:-1]}"])
def test_a_scrape_without_the_token_is_401(client, settings, authorization):
    # given
    settings.METRICS_AUTH_TOKEN = TOKEN
    headers = {} if authorization is None else {"Authorization": authorization}

    # when
    response = client.get("/metrics", headers=headers)

    # then nothing about the shop leaks
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"checkout_" not in response.content


def test_a_scrape_with_the_token_gets_the_metrics(client, settings):
    settings.METRICS_AUTH_TOKEN = TOKEN

    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 200
    assert b"checkout_requests_total" in response.content


def test_without_a_configured_token_metrics_stay_open(client, settings):
    settings.METRICS_AUTH_TOKEN = ""

    assert client.get("/metrics").status_code == 200


def test_prometheus_scrapes_with_the_secrets_metrics_token(tmp_path):
    # given the shipped scrape configuration
    config = yaml.safe_load(SCRAPE_CONFIG.read_text())
    (job,) = config["scrape_configs"]

    # then it authenticates with the Secret's METRICS_AUTH_TOKEN key, mounted as a file
    assert job["metrics_path"] == "/metrics"
    assert job["authorization"]["type"] == "Bearer"
    assert Path(job["authorization"]["credentials_file"]).name == "METRICS_AUTH_TOKEN"
    secret = yaml.safe_load((SCRAPE_CONFIG.parents[1] / "k8s" / "secret.example.yaml").read_text())
    assert "METRICS_AUTH_TOKEN" in secret["stringData"]

    # and promtool accepts it (Debian's promtool lacks kubernetes_sd: a static target stands in for it,
    # and a local file for the mounted Secret, which promtool insists exists)
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed")
    job.pop("kubernetes_sd_configs"), job.pop("relabel_configs")
    (tmp_path / "METRICS_AUTH_TOKEN").write_text(TOKEN)
    job["authorization"]["credentials_file"] = str(tmp_path / "METRICS_AUTH_TOKEN")
    job["static_configs"] = [{"targets": ["vantage-web:8000"]}]
    config["rule_files"] = [str(SCRAPE_CONFIG.parent / name) for name in config["rule_files"]]
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    result = subprocess.run([promtool, "check", "config", str(tmp_path / "prometheus.yml")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
