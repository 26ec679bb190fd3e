"""Secrets fail closed: outside development the process refuses to start without real ones.

`vantage/settings.py` reads DJANGO_SECRET_KEY, SERVICE_AUTH_TOKENS, STRIPE_WEBHOOK_SECRET and
STRIPE_SECRET_KEY through `secret_from_env`:

- DJANGO_DEBUG=true: an unset variable gets its development default (`make run`, tests);
- DJANGO_DEBUG=false: an unset variable, or one still holding a development default or a template
  placeholder (`svc_dev_token_change_me`, `whsec_local_dev`, `REPLACE_ME`, …), raises
  ImproperlyConfigured naming the variable, so web, worker and beat never start with them;
- DJANGO_BUILD_ONLY=true (the image build's `collectstatic`, which needs settings but no secret):
  missing values become random throw-away ones, and `refuse_to_serve_if_build_only` stops a
  web or worker process started with the flag.

`checks.py` reports the same values in `manage.py check --deploy`. Imported by the settings module,
so nothing here may need configured settings at import time.
"""
import os
import secrets

from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_DEFAULTS = {
    "DJANGO_SECRET_KEY": "dev-insecure-key-change-me-" + "x" * 40,
    "SERVICE_AUTH_TOKENS": "svc_dev_token_change_me",
    "STRIPE_WEBHOOK_SECRET": "whsec_local_dev",
    "STRIPE_SECRET_KEY": "sk_test_local",
}
REQUIRED_SECRETS = tuple(DEVELOPMENT_DEFAULTS)
# Fragments of every development default and template placeholder this repository ships
# (.env.example, docker-compose.yml, deploy/k8s/secret.example.yaml, the Dockerfile's build).
PLACEHOLDER_MARKERS = ("change-me", "change_me", "replace_me", "insecure", "not-for-production", "build-only",
                       "whsec_local_dev")


def is_development_value(value: str) -> bool:
    lowered = value.strip().lower()
    return lowered in {v.lower() for v in DEVELOPMENT_DEFAULTS.values()} or any(
        marker in lowered for marker in PLACEHOLDER_MARKERS)


def _values(name: str, raw: str) -> list[str]:
    if name == "SERVICE_AUTH_TOKENS":  # comma-separated: every token must be real
        return [token.strip() for token in raw.split(",") if token.strip()]
    return [raw.strip()] if raw.strip() else []


def secret_from_env(name: str, *, debug: bool, build_only: bool = False) -> str:
    """The variable's value, its development default (debug only), or ImproperlyConfigured."""
    raw = os.environ.get(name, "")
    values = _values(name, raw)
    if debug:
        return raw if values else DEVELOPMENT_DEFAULTS[name]
    if values and not any(is_development_value(v) for v in values):
        return raw
    if build_only:
        return "build-only-" + secrets.token_urlsafe(48)
    problem = "is not set" if not values else "still holds a development default or placeholder"
    raise ImproperlyConfigured(
        f"{name} {problem}. With DJANGO_DEBUG=false every one of {', '.join(REQUIRED_SECRETS)} must be a real "
        f"secret (see .env.example and deploy/k8s/secret.example.yaml); development defaults apply only with "
        f"DJANGO_DEBUG=true.")


def refuse_to_serve_if_build_only() -> None:
    """Called by the WSGI/ASGI/Celery entry points: throw-away secrets are for the image build only."""
    from django.conf import settings

    if getattr(settings, "BUILD_ONLY", False):
        raise ImproperlyConfigured("DJANGO_BUILD_ONLY=true is for the image build's collectstatic only; unset it "
                                   "and provide real secrets to serve requests or run workers.")
