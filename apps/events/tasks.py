"""Celery wrapper for the outbox relay (queued after each commit and run by beat every few seconds)."""
from celery import shared_task

from .services import outbox_relay


@shared_task(name="events.relay_outbox", acks_late=True, ignore_result=True)
def relay_outbox() -> dict:
    return outbox_relay()
