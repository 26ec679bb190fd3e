"""Core periodic housekeeping."""
from celery import shared_task

from .after_response import tasks_dispatch
from .idempotency import idempotency_records_purge


@shared_task(name="core.purge_idempotency_records", acks_late=True, ignore_result=True)
def purge_idempotency_records() -> int:
    return idempotency_records_purge()


@shared_task(name="core.dispatch", acks_late=True, ignore_result=True, autoretry_for=(Exception,), retry_backoff=5,
             max_retries=5)
def dispatch(tasks: list) -> None:
    """A request's tasks, sent in one message (apps.core.after_response); a retry may send the first of them
    twice, which the tasks sent this way allow (the relay is idempotent, an email is sent once)."""
    tasks_dispatch(tasks)
