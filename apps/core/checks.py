"""System checks of the core app: `manage.py check --deploy` fails on development secrets.

The settings already refuse to load them with DJANGO_DEBUG=false (settings_guard); this check also
catches them in a DEBUG process someone is about to promote, and names each variable to replace.
"""
from django.conf import settings
from django.core.checks import Error, Tags, register

from .settings_guard import is_development_value

# Variable name → the setting it fills.
CHECKED_SECRETS = {
    "DJANGO_SECRET_KEY": "SECRET_KEY",
    "SERVICE_AUTH_TOKENS": "SERVICE_AUTH_TOKENS",
    "STRIPE_WEBHOOK_SECRET": "STRIPE_WEBHOOK_SECRET",
    "STRIPE_SECRET_KEY": "STRIPE_SECRET_KEY",
}


@register(Tags.security, deploy=True)
def development_secrets_check(app_configs, **kwargs) -> list[Error]:
    errors = []
    for number, (variable, setting) in enumerate(CHECKED_SECRETS.items(), start=1):
        value = getattr(settings, setting, "")
        values = value if isinstance(value, (list, tuple)) else [value]
        if not values or any(not v or is_development_value(v) for v in values):
            errors.append(Error(
                f"{variable} is unset or a development default.",
                hint=f"Set {variable} to a real secret in the environment (deploy/k8s/secret.example.yaml names "
                     "every required key).",
                id=f"core.E00{number}"))
    return errors
