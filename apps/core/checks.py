"""System checks of the core app: configuration mistakes that must stop a process at start-up.

`core.E001` (registered in CoreConfig.ready): celery beat must use `LockedDatabaseScheduler`. Any other
scheduler (django-celery-beat's plain `DatabaseScheduler` included) has no leader election, so two beats
would both send every periodic task. The tests run on PostgreSQL with the same scheduler, so they need no
exemption; a deployment that truly wants an unguarded beat silences the check explicitly with
`SILENCED_SYSTEM_CHECKS = ["core.E001"]`, which is Django's own switch for that.

`core.E002`-`core.E005` (`manage.py check --deploy`): development secrets. The settings already refuse to
load them with DJANGO_DEBUG=false (settings_guard); this check also catches them in a DEBUG process
someone is about to promote, and names each variable to replace.
"""
from django.conf import settings
from django.core.checks import Error, Tags, register

from .settings_guard import is_development_value

LOCKED_SCHEDULER = "apps.core.beat:LockedDatabaseScheduler"
# Variable name → the setting it fills.
CHECKED_SECRETS = {
    "DJANGO_SECRET_KEY": "SECRET_KEY",
    "SERVICE_AUTH_TOKENS": "SERVICE_AUTH_TOKENS",
    "STRIPE_WEBHOOK_SECRET": "STRIPE_WEBHOOK_SECRET",
    "STRIPE_SECRET_KEY": "STRIPE_SECRET_KEY",
}


def beat_scheduler_check(app_configs=None, **kwargs) -> list[Error]:
    configured = getattr(settings, "CELERY_BEAT_SCHEDULER", None)
    if configured == LOCKED_SCHEDULER:
        return []
    return [Error(
        f"CELERY_BEAT_SCHEDULER is {configured!r}: two celery beat processes would both send every periodic task.",
        hint=f"Set CELERY_BEAT_SCHEDULER = {LOCKED_SCHEDULER!r} (the database scheduler behind a PostgreSQL "
             "advisory lock) and set it only once in the settings.",
        id="core.E001",
    )]


@register(Tags.security, deploy=True)
def development_secrets_check(app_configs, **kwargs) -> list[Error]:
    errors = []
    for number, (variable, setting) in enumerate(CHECKED_SECRETS.items(), start=2):
        value = getattr(settings, setting, "")
        values = value if isinstance(value, (list, tuple)) else [value]
        if not values or any(not v or is_development_value(v) for v in values):
            errors.append(Error(
                f"{variable} is unset or a development default.",
                hint=f"Set {variable} to a real secret in the environment (deploy/k8s/secret.example.yaml names "
                     "every required key).",
                id=f"core.E00{number}"))
    return errors
