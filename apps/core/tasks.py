"""Core periodic housekeeping."""
from celery import shared_task

from .idempotency import idempotency_records_purge


@shared_task(name="core.purge_idempotency_records", acks_late=True, ignore_result=True)
def purge_idempotency_records() -> int:
    return idempotency_records_purge()
