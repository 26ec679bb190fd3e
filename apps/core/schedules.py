"""Helpers for data migrations that put periodic tasks into django-celery-beat's tables.

Each app creates its own schedule in a data migration, so a fresh database has the full beat
schedule and ops can still edit it in the admin.
"""


def interval_task(apps, *, name: str, task: str, every: int, period: str = "seconds") -> None:
    interval_schedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = interval_schedule.objects.get_or_create(every=every, period=period)
    periodic_task.objects.update_or_create(name=name, defaults={"task": task, "interval": schedule, "crontab": None})


def crontab_task(apps, *, name: str, task: str, minute: str = "0", hour: str = "*") -> None:
    crontab_schedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = crontab_schedule.objects.get_or_create(
        minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    periodic_task.objects.update_or_create(name=name, defaults={"task": task, "crontab": schedule, "interval": None})


def remove_task(apps, *, name: str) -> None:
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=name).delete()
