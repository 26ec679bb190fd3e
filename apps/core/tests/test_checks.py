"""System checks: a beat scheduler without the leader lock stops `manage.py check` (core.E001)."""
import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def test_the_project_settings_use_the_locked_beat_scheduler():
    call_command("check")  # raises SystemCheckError on any error


@pytest.mark.parametrize("scheduler", ["django_celery_beat.schedulers:DatabaseScheduler",
                                       "celery.beat:PersistentScheduler"])
def test_an_unlocked_beat_scheduler_fails_the_check_with_a_hint(settings, scheduler):
    settings.CELERY_BEAT_SCHEDULER = scheduler

    with pytest.raises(SystemCheckError) as failure:
        call_command("check")

    assert "core.E001" in str(failure.value)
    assert "HINT: Set CELERY_BEAT_SCHEDULER = 'apps.core.beat:LockedDatabaseScheduler'" in str(failure.value)


def test_the_check_can_be_silenced_on_purpose(settings):
    settings.CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
    settings.SILENCED_SYSTEM_CHECKS = ["core.E001"]

    call_command("check")
