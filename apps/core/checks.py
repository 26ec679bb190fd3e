"""System checks of the core app (registered in CoreConfig.ready): configuration mistakes that must
stop a process at start-up.

`core.E001`: celery beat must use `LockedDatabaseScheduler`. Any other scheduler (django-celery-beat's
plain `DatabaseScheduler` included) has no leader election, so two beats would both send every
periodic task. The tests run on PostgreSQL with the same scheduler, so they need no exemption; a
deployment that truly wants an unguarded beat silences the check explicitly with
`SILENCED_SYSTEM_CHECKS = ["core.E001"]`, which is Django's own switch for that.
"""
from django.conf import settings
from django.core.checks import Error

LOCKED_SCHEDULER = "apps.core.beat:LockedDatabaseScheduler"


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
