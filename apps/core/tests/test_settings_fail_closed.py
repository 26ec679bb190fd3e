"""Settings fail closed: a production process (DJANGO_DEBUG=false) without real secrets refuses to
start and names the variable; `check --deploy` fails on development defaults; the image build's
collectstatic still runs without production secrets. Each case is a fresh Python process."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
REAL = {
    "DJANGO_SECRET_KEY": "k3y-" + "Zq9!xV2#pL7@" * 5,
    "SERVICE_AUTH_TOKENS": "svc_6f1d0c9a8b7e,svc_2b4c6d8e0f1a",
    "STRIPE_WEBHOOK_SECRET": "whsec_9Hc2LxQ7pT4vN1rZ",
    "STRIPE_SECRET_KEY": "sk_live_51Hx7Q2eZvKYlo2C",
}
DEVELOPMENT = {
    "DJANGO_SECRET_KEY": "dev-insecure-key-change-me",
    "SERVICE_AUTH_TOKENS": "svc_6f1d0c9a8b7e,svc_dev_token_change_me",
    "STRIPE_WEBHOOK_SECRET": "whsec_local_dev",
    "STRIPE_SECRET_KEY": "sk_live_REPLACE_ME",
}
SETUP = "import django; django.setup()"


def run(argv: list[str], **env_changes) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_BUILD_ONLY", *REAL)}
    env.update(DJANGO_SETTINGS_MODULE="vantage.settings", DJANGO_ALLOWED_HOSTS="shop.example.com")
    env.update({k: v for k, v in env_changes.items() if v is not None})
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)


@pytest.mark.parametrize("variable", list(REAL))
@pytest.mark.parametrize("value", ["unset", "development default"])
def test_production_process_refuses_to_start_without_each_real_secret(variable, value):
    # given production settings with every secret real but one
    env = {**REAL, variable: None if value == "unset" else DEVELOPMENT[variable]}

    # when
    result = run([sys.executable, "-c", SETUP], DJANGO_DEBUG="false", **env)

    # then
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert re.search(rf"ImproperlyConfigured: {variable} ", result.stderr), result.stderr[-500:]


def test_production_process_starts_with_real_secrets_and_development_without_any():
    assert run([sys.executable, "-c", SETUP], DJANGO_DEBUG="false", **REAL).returncode == 0
    assert run([sys.executable, "-c", SETUP], DJANGO_DEBUG="true").returncode == 0


def test_check_deploy_fails_on_development_secrets_naming_each_variable():
    # given a development process (defaults in place) about to be promoted
    result = run([sys.executable, "manage.py", "check", "--deploy"], DJANGO_DEBUG="true")

    # then
    assert result.returncode != 0
    for variable in REAL:
        assert f"{variable} is unset or a development default" in result.stderr


def test_the_image_build_collects_static_files_without_production_secrets():
    # given the environment of the Dockerfile's collectstatic step, read from the Dockerfile itself
    line = next(line for line in (ROOT / "Dockerfile").read_text().splitlines()
                if line.startswith("RUN") and "collectstatic" in line)
    build_env = dict(re.findall(r"\b([A-Z_]+)=(\S+)", line.split("python manage.py")[0]))
    assert build_env["DJANGO_DEBUG"] == "false"

    # when the step runs (dry run: nothing is written)
    result = run([sys.executable, "manage.py", "collectstatic", "--noinput", "--dry-run"], **build_env)

    # then it works, and the same flag stops a server from using its throw-away secrets
    assert result.returncode == 0, result.stderr[-800:]
    served = run([sys.executable, "-c", "import vantage.wsgi"], **build_env)
    assert served.returncode != 0 and "DJANGO_BUILD_ONLY" in served.stderr
