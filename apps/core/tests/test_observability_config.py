"""The monitoring configuration in deploy/ against the code: promtool accepts the rules and their unit
tests pass, and every metric a Grafana panel or an alert queries is one this project exports (as
collected from the Prometheus registry once every app is imported, custom collectors included) or a
documented external exporter's."""
import importlib
import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.conf import settings
from django.urls import get_resolver
from prometheus_client import REGISTRY

DEPLOY = Path(settings.BASE_DIR) / "deploy"
ALERTS = DEPLOY / "prometheus" / "alerts.yml"
DASHBOARD = DEPLOY / "grafana" / "guest-checkout.json"
ALERTMANAGER = DEPLOY / "alertmanager" / "alertmanager.yml"
RUNBOOKS = {"guest-checkout-conversion-regression.md", "low-stock-alerts.md", "returns-reconciliation.md",
            "payment-gateway-outage.md", "outbox-backlog.md"}
# Metrics from other exporters, each with who exports it. Nothing else outside this project may be queried.
EXTERNAL_METRICS = {
    "redis_evicted_keys_total": "redis_exporter on the checkout-sessions-prod cluster",
    "redis_expired_keys_total": "redis_exporter on the checkout-sessions-prod cluster",
    "redis_commands_total": "redis_exporter on the checkout-sessions-prod cluster",
    "redis_commands_duration_seconds_total": "redis_exporter on the checkout-sessions-prod cluster",
    "kube_deployment_status_observed_generation": "kube-state-metrics (the returns canary gate's rollout signal)",
}
SUFFIXES = {"counter": ("_total", "_created"), "histogram": ("_bucket", "_count", "_sum", "_created"),
            "summary": ("", "_count", "_sum", "_created"), "info": ("_info",),
            "gaugehistogram": ("_bucket", "_gcount", "_gsum")}
PROMQL_WORDS = {"and", "or", "unless", "bool"}


def metric_names(expr: str) -> set[str]:
    """Series names a PromQL expression selects (functions, labels, ranges and keywords dropped)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    text = re.sub(r"\{[^}]*\}", "", text)
    text = re.sub(r"\[[^\]]*\]", "", text)
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)
    text = re.sub(r"\boffset\s+-?\w+", "", text)
    text = re.sub(r"\$\w+", "", text)
    return {match[1] for match in re.finditer(r"(?<![\w.:])([A-Za-z_:][\w:]*)(?![\w:])(?!\s*\()", text)
            if match[1] not in PROMQL_WORDS}


def exported_names() -> set[str]:
    assert get_resolver().url_patterns  # imports every view, so every module-level metric
    for config in apps.get_app_configs():
        if config.name.startswith("apps.") and importlib.util.find_spec(f"{config.name}.metrics"):
            importlib.import_module(f"{config.name}.metrics")
    names = set()
    for family in REGISTRY.collect():
        names |= {family.name + suffix for suffix in SUFFIXES.get(family.type, ("",))}
        names |= {sample.name for sample in family.samples}
    return names


def alert_rules() -> list[dict]:
    return [rule for group in yaml.safe_load(ALERTS.read_text())["groups"] for rule in group["rules"]]


def dashboard_exprs() -> list[tuple[str, str]]:
    panels = json.loads(DASHBOARD.read_text())["panels"]
    return [(panel["title"], target["expr"]) for panel in panels for target in panel["targets"]]


@pytest.mark.parametrize(("expr", "names"), [
    ('histogram_quantile(0.99, sum by (le) (rate(payment_gateway_duration_seconds_bucket{flow="x"}[5m]))) > 10',
     {"payment_gateway_duration_seconds_bucket"}),
    ("(a:b:c offset 1w) - a:b:c > 0.02", {"a:b:c"}),
    ('sum(rate(x_total{e="a{b}"}[1m])) / sum(rate(y_total[1m])) and on() z', {"x_total", "y_total", "z"}),
    ("increase(feature_flag_evaluations_total[$__range])", {"feature_flag_evaluations_total"}),
])
def test_metric_names_are_extracted_from_promql(expr, names):
    assert metric_names(expr) == names


@pytest.mark.django_db
def test_every_queried_metric_is_exported_by_the_project_or_an_allowlisted_exporter():
    exported = exported_names()
    recorded = {rule["record"] for rule in alert_rules() if "record" in rule}
    queries = [(rule.get("alert") or rule["record"], rule["expr"]) for rule in alert_rules()] + dashboard_exprs()

    unknown = {(where, name) for where, expr in queries for name in metric_names(expr)
               if name not in exported | recorded | EXTERNAL_METRICS.keys()}

    assert not unknown, f"queried but exported by nothing: {sorted(unknown)}"
    queried = {name for _, expr in queries for name in metric_names(expr)}
    assert {"checkout_errors_total", "checkout_requests_total", "outbox_oldest_unpublished_age_seconds",
            "payment_gateway_circuit_breaker_state", "inventory_products_below_threshold"} <= queried
    assert "checkout_errors" not in exported  # a counter is exported with _total only: the check is strict


def test_dashboard_has_the_seed_panels_and_inventory():
    titles = [title for title, _ in dashboard_exprs()]
    for seed_title in ("Conversion Rate", "Redis Session Metrics", "Payment Gateway Error Rate",
                       "Checkout Completion Time", "Feature Flag Distribution", "Geographic Distribution",
                       "Inventory"):
        assert any(title.startswith(seed_title) for title in titles), seed_title


def test_every_alert_links_a_runbook_in_the_repo_and_an_existing_dashboard_panel():
    panel_ids = {panel["id"] for panel in json.loads(DASHBOARD.read_text())["panels"]}
    uid = json.loads(DASHBOARD.read_text())["uid"]
    alerts = [rule for rule in alert_rules() if "alert" in rule]
    assert {"GuestCheckoutErrorRate", "GuestCheckoutConversionRegression", "GuestSessionEviction",
            "PaymentGatewayLatency", "LowStockCriticalProducts", "PaymentGatewayErrorRate",
            "GuestCheckoutCompletionTimeP99", "ReturnsCanaryGate"} <= {rule["alert"] for rule in alerts}
    for rule in alerts:
        runbook = re.fullmatch(r"https://\S+/docs/runbooks/([\w-]+\.md)", rule["annotations"]["runbook_url"])
        assert runbook and runbook[1] in RUNBOOKS, rule["alert"]
        dashboard = re.fullmatch(rf"https://\S+/d/{uid}\?viewPanel=(\d+)", rule["annotations"]["dashboard_url"])
        assert dashboard and int(dashboard[1]) in panel_ids, rule["alert"]
        assert rule["labels"]["severity"] in {"P1", "P2"}, rule["alert"]


def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.skip("promtool is not installed (Debian package `prometheus`; .ci/run installs it)")
    return path


def test_promtool_accepts_the_rules():
    result = subprocess.run([promtool(), "check", "rules", str(ALERTS)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_rule_unit_tests_pass():
    tests = sorted(str(path) for path in (DEPLOY / "prometheus" / "tests").glob("*.yml"))
    assert tests
    result = subprocess.run([promtool(), "test", "rules", *tests], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def alertmanager_config() -> dict:
    return yaml.safe_load(ALERTMANAGER.read_text())


def amtool() -> str | None:
    return shutil.which("amtool")


def test_alertmanager_config_is_valid():
    if amtool():
        result = subprocess.run([amtool(), "check-config", str(ALERTMANAGER)], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
        return
    # Without the binary (Debian's prometheus-alertmanager), the parts a typo would silently break.
    config = alertmanager_config()
    receivers = {receiver["name"] for receiver in config["receivers"]}
    intervals = {interval["name"] for interval in config["time_intervals"]}
    routes = [config["route"], *config["route"]["routes"]]
    assert all(route["receiver"] in receivers for route in routes)
    assert all(set(route.get("mute_time_intervals", [])) <= intervals for route in routes)


@pytest.mark.parametrize(("severity", "receivers"), [
    ("P1", "oncall-pagerduty,checkout-payments-slack"),
    ("P2", "checkout-payments-slack"),
])
def test_p1_pages_through_pagerduty_and_p2_only_tickets(severity, receivers):
    if not amtool():
        pytest.skip("amtool is not installed (Debian package `prometheus-alertmanager`; .ci/run installs it)")
    result = subprocess.run([amtool(), "config", "routes", "test", f"--config.file={ALERTMANAGER}",
                             f"--verify.receivers={receivers}", f"severity={severity}", "team=checkout"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_quiet_hours_mute_only_the_p2_route():
    config = alertmanager_config()
    (quiet,) = [interval for interval in config["time_intervals"] if interval["name"] == "quiet-hours"]
    assert quiet["time_intervals"] == [{"times": [{"start_time": "00:00", "end_time": "06:00"}], "location": "UTC"}]
    muted = {route["matchers"][0] for route in config["route"]["routes"] if "quiet-hours" in
             route.get("mute_time_intervals", [])}
    assert muted == {'severity="P2"'}
    severities = {rule["labels"]["severity"] for rule in alert_rules() if "alert" in rule}
    assert severities == {"P1", "P2"}
