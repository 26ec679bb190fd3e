"""deploy/k8s: every manifest is valid for one Kubernetes version (strict schemas bundled in
kubernetes-validate) and keeps the invariants the platform relies on: exactly one beat, probes on
/healthz that the app really answers, configuration only from the ConfigMap and the Secret (which
together hold every variable of .env.example), and one image for web, worker, beat and migrate."""
import copy
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import kubernetes_validate
import pytest
import yaml

from apps.core.settings_guard import REQUIRED_SECRETS

ROOT = Path(__file__).resolve().parents[2]
K8S_DIR = ROOT / "deploy" / "k8s"
K8S_VERSION = "1.33.0"  # a fixed version whose schemas kubernetes-validate bundles
CONFIGMAP, SECRET = "vantage-config", "vantage-secrets"
WORKLOADS = {"web": ("Deployment", "vantage-web"), "worker": ("Deployment", "vantage-worker"),
             "beat": ("Deployment", "vantage-beat"), "migrate": ("Job", "vantage-migrate")}
# Names of .env.example that hold credentials (or URLs that embed them): never in the ConfigMap.
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|_API_KEY$|ROUTING_KEY$|^DATABASE_URL$|^REDIS_URL$|BROKER_URL$")


def load_documents() -> list[tuple[str, dict]]:
    return [(path.name, doc) for path in sorted(K8S_DIR.glob("*.yaml")) if path.name != "kustomization.yaml"
            for doc in yaml.safe_load_all(path.read_text()) if doc]


DOCUMENTS = load_documents()


def find(kind: str, name: str) -> dict:
    matches = [doc for _, doc in DOCUMENTS if doc["kind"] == kind and doc["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind} {name}, found {len(matches)}"
    return matches[0]


def pod_spec(component: str) -> dict:
    return find(*WORKLOADS[component])["spec"]["template"]["spec"]


def containers(component: str) -> list[dict]:
    spec = pod_spec(component)
    return spec.get("initContainers", []) + spec["containers"]


def env_example() -> dict[str, str]:
    pairs = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value
    return pairs


def configmap_data() -> dict[str, str]:
    return find("ConfigMap", CONFIGMAP)["data"]


def secret_data() -> dict[str, str]:
    return find("Secret", SECRET)["stringData"]


@pytest.mark.parametrize(("filename", "document"), DOCUMENTS,
                         ids=[f"{name}:{doc['kind']}/{doc['metadata']['name']}" for name, doc in DOCUMENTS])
def test_manifest_is_valid_against_the_kubernetes_schema(filename, document):
    kubernetes_validate.validate(document, K8S_VERSION, strict=True)


def test_strict_validation_rejects_a_misspelt_field():
    deployment = copy.deepcopy(find(*WORKLOADS["web"]))
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    container["livenesProbe"] = container.pop("livenessProbe")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, K8S_VERSION, strict=True)


def test_kustomization_lists_every_manifest_except_the_secret_template():
    kustomization = yaml.safe_load((K8S_DIR / "kustomization.yaml").read_text())
    manifests = {path.name for path in K8S_DIR.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == manifests - {"secret.example.yaml"}
    images = {c["image"] for component in WORKLOADS for c in containers(component)}
    assert [entry["name"] for entry in kustomization["images"]] == [image.rpartition(":")[0] for image in images]


def test_web_worker_beat_and_migrate_run_one_and_the_same_image():
    images = {component: {c["image"] for c in containers(component)} for component in WORKLOADS}
    assert len(set().union(*images.values())) == 1, images
    assert all(":" in image and not image.endswith(":latest") for image in set().union(*images.values()))


def test_exactly_one_beat_recreated_never_rolled():
    beat = find(*WORKLOADS["beat"])
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert not [doc for _, doc in DOCUMENTS if doc["kind"] == "HorizontalPodAutoscaler"
                and doc["spec"]["scaleTargetRef"]["name"] == "vantage-beat"]


def test_no_other_process_embeds_a_second_beat():
    for component in ("web", "worker", "migrate"):
        for container in containers(component):
            command = container.get("command", []) + container.get("args", [])
            assert "beat" not in command and "-B" not in command and "--beat" not in command, (component, command)


def test_every_container_reads_its_configuration_from_the_configmap_and_the_secret():
    for component in WORKLOADS:
        for container in containers(component):
            sources = {(next(iter(ref)), ref[next(iter(ref))]["name"]) for ref in container["envFrom"]}
            assert sources == {("configMapRef", CONFIGMAP), ("secretRef", SECRET)}, (component, container["name"])
            assert "env" not in container, f"{component}: settings belong in the ConfigMap or the Secret"


def test_every_env_example_variable_is_in_the_configmap_or_the_secret():
    expected, config, secret = set(env_example()), set(configmap_data()), set(secret_data())
    assert expected - (config | secret) == set(), "add these to configmap.yaml or secret.example.yaml"
    assert (config | secret) - expected == set(), "unknown settings (typo, or missing from .env.example)"
    assert config & secret == set()


def test_credentials_are_in_the_secret_never_in_the_configmap():
    in_configmap = {name for name in configmap_data() if SECRET_NAME.search(name)}
    assert in_configmap == set()
    assert {name for name in env_example() if SECRET_NAME.search(name)} <= set(secret_data())


def test_secret_template_names_every_secret_a_production_process_requires():
    assert set(REQUIRED_SECRETS) | {"METRICS_AUTH_TOKEN"} <= set(secret_data())


def test_secret_template_holds_placeholders_only():
    for name, value in secret_data().items():
        assert "REPLACE_ME" in value, f"{name} must be a placeholder in the template"


def test_web_runs_the_dockerfile_command_on_the_probed_port():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE).group(1))
    (web,) = pod_spec("web")["containers"]
    assert web["command"][:len(cmd)] == cmd
    bind_port = int(cmd[cmd.index("--bind") + 1].rpartition(":")[2])
    assert {p["name"]: p["containerPort"] for p in web["ports"]} == {"http": bind_port}
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert web[probe]["httpGet"]["port"] == "http"


def probe_request(probe: dict) -> tuple[str, str, dict]:
    url = urlsplit(probe["httpGet"]["path"])
    headers = {h["name"]: h["value"] for h in probe["httpGet"].get("httpHeaders", [])}
    return url.path, url.query, headers


def test_liveness_does_not_depend_on_dependencies_and_readiness_does():
    (web,) = pod_spec("web")["containers"]
    paths = {name: probe_request(web[name])[:2] for name in ("startupProbe", "livenessProbe", "readinessProbe")}
    assert {path for path, _ in paths.values()} == {"/healthz"}
    assert parse_qs(paths["livenessProbe"][1]) == {"probe": ["live"]}
    assert parse_qs(paths["startupProbe"][1]) == {"probe": ["live"]}
    assert parse_qs(paths["readinessProbe"][1]) == {"probe": ["ready"]}


@pytest.mark.django_db
@pytest.mark.parametrize("probe_name", ["startupProbe", "livenessProbe", "readinessProbe"])
def test_the_app_answers_each_probe_as_the_kubelet_sends_it(client, settings, probe_name):
    """The kubelet connects to the pod IP; with production's ALLOWED_HOSTS and HTTPS redirect the
    probe only passes because it sends an allowed Host header and /healthz is exempt from the redirect."""
    config = configmap_data()
    settings.ALLOWED_HOSTS = config["DJANGO_ALLOWED_HOSTS"].split(",")
    settings.SECURE_SSL_REDIRECT = config["SECURE_SSL_REDIRECT"] == "true"
    (web,) = pod_spec("web")["containers"]
    path, query, headers = probe_request(web[probe_name])
    response = client.get(f"{path}?{query}", HTTP_HOST=headers["Host"])
    assert response.status_code == 200, response.content
    expected_checks = {"readinessProbe": {"database", "redis"}}.get(probe_name, set())
    assert set(response.json()["checks"]) == expected_checks
    assert client.get(f"{path}?{query}", HTTP_HOST="10.1.2.3:8000").status_code == 400


def test_migrate_job_migrates_then_creates_topics_and_never_loads_demo_data():
    from django.core.management import get_commands

    spec = pod_spec("migrate")
    assert spec["restartPolicy"] == "Never"
    assert [c["command"] for c in spec["initContainers"]] == [["python", "manage.py", "migrate", "--noinput"]]
    assert [c["command"] for c in spec["containers"]] == [["python", "manage.py", "ensure_topics"]]
    assert "ensure_topics" in get_commands()
    assert not [path for path in K8S_DIR.iterdir() if "seed_demo" in path.read_text().replace("`seed_demo`", "")]


def test_pods_run_as_the_image_user_with_a_read_only_root_filesystem():
    uid = int(re.search(r"useradd [^&]*--uid (\d+)", (ROOT / "Dockerfile").read_text()).group(1))
    for component in WORKLOADS:
        spec = pod_spec(component)
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] == uid
        assert spec["automountServiceAccountToken"] is False
        for container in containers(component):
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False
            assert security["readOnlyRootFilesystem"] is True
            assert security["capabilities"]["drop"] == ["ALL"]
            assert {m["mountPath"] for m in container["volumeMounts"]} == {"/tmp"}


def test_every_container_requests_cpu_and_memory_and_caps_memory():
    for component in WORKLOADS:
        for container in containers(component):
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), (component, container["name"])
            assert "memory" in resources["limits"], (component, container["name"])


def test_service_hpas_and_disruption_budgets_select_real_pods():
    web_labels = find(*WORKLOADS["web"])["spec"]["template"]["metadata"]["labels"]
    service = find("Service", "vantage-web")
    assert service["spec"]["selector"] == web_labels
    assert [p["targetPort"] for p in service["spec"]["ports"]] == ["http"]
    for _, doc in DOCUMENTS:
        if doc["kind"] == "HorizontalPodAutoscaler":
            target = find(doc["spec"]["scaleTargetRef"]["kind"], doc["spec"]["scaleTargetRef"]["name"])
            assert doc["spec"]["minReplicas"] >= 2 and target["spec"]["replicas"] == doc["spec"]["minReplicas"]
        if doc["kind"] == "PodDisruptionBudget":
            wanted = doc["spec"]["selector"]["matchLabels"]
            selected = [component for component, (kind, name) in WORKLOADS.items()
                        if kind == "Deployment" and wanted == find(kind, name)["spec"]["selector"]["matchLabels"]]
            assert len(selected) == 1 and selected != ["beat"], doc["metadata"]["name"]
    for component in ("web", "worker", "beat"):
        deployment = find(*WORKLOADS[component])
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert all(labels[key] == value for key, value in deployment["spec"]["selector"]["matchLabels"].items())


def test_configmap_and_secret_pass_djangos_deployment_checks():
    """Every deploy check, at warning level, with the manifests' settings."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(configmap_data())
    env.update(secret_data())
    prefixes = {"STRIPE_SECRET_KEY": "sk_live_", "STRIPE_WEBHOOK_SECRET": "whsec_"}  # live, like the ConfigMap's pk_
    for name in REQUIRED_SECRETS:  # the template's placeholders are refused at start, as real ones replace them
        env[name] = prefixes.get(name, "") + secrets.token_urlsafe(64)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy",
                             "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
