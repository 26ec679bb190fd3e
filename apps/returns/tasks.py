"""Thin Celery wrappers of the returns app (take ids, idempotent, call one service)."""
from celery import shared_task


@shared_task(name="returns.reconcile", acks_late=True, ignore_result=True)
def reconcile_returns() -> dict:
    from .services.reconciliation import returns_reconcile

    return returns_reconcile()


@shared_task(name="returns.alert_finding", acks_late=True, ignore_result=True, autoretry_for=(Exception,),
             retry_backoff=30, max_retries=8)
def alert_finding(finding_id: int) -> None:
    from .services.alerts import finding_alert_send

    finding_alert_send(finding_id=finding_id)


@shared_task(name="returns.label_retry", bind=True, acks_late=True, ignore_result=True, max_retries=3)
def label_retry(self, return_id: str) -> None:
    """Buy a label that failed at creation; retried 3 times with growing delays, after which the
    return is left `requested` for reconciliation (which marks it `label_failed` and alerts ops)."""
    from .errors import LabelProviderError
    from .services.labels import return_label_create
    from .services.lifecycle import Actor

    try:
        return_label_create(return_id=return_id, actor=Actor.system("label_retry_task"))
    except LabelProviderError as exc:
        raise self.retry(exc=exc, countdown=120 * (self.request.retries + 1)) from exc
