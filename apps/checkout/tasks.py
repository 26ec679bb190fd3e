"""Celery wrappers of the checkout app (thin: each calls one service)."""
from celery import shared_task

from .services.abandonment import abandoned_sessions_sweep
from .services.orders import orders_pending_expire, orders_pending_settle


@shared_task(name="checkout.sweep_abandoned_sessions", acks_late=True, ignore_result=True)
def sweep_abandoned_sessions() -> int:
    return abandoned_sessions_sweep()


@shared_task(name="checkout.expire_pending_orders", acks_late=True, ignore_result=True)
def expire_pending_orders() -> int:
    return orders_pending_expire()


@shared_task(name="checkout.settle_pending_orders", acks_late=True, ignore_result=True)
def settle_pending_orders() -> dict[str, int]:
    return orders_pending_settle()


@shared_task(name="checkout.express_complete_due", bind=True, acks_late=True, ignore_result=True, max_retries=5)
def express_complete_due(self, express_id: str, user_id: int) -> None:
    """Place an express order whose window ended while nobody was watching (tab closed)."""
    from .errors import ExpressNotFound, ExpressWindowOpen
    from .services.express import express_complete

    try:
        express_complete(express_id=express_id, user_id=user_id)
    except ExpressWindowOpen as exc:
        raise self.retry(countdown=max(exc.extra["retry_after_ms"], 100) / 1000) from exc
    except ExpressNotFound:
        return


@shared_task(name="checkout.send_email", acks_late=True, ignore_result=True, autoretry_for=(Exception,),
             retry_backoff=30, retry_backoff_max=1800, max_retries=6)
def send_email(delivery_id: int) -> None:
    """Send one shopper email; a failure (SMTP down) is retried with growing delays."""
    from .services.emails import email_delivery_send

    email_delivery_send(delivery_id=delivery_id)


@shared_task(name="checkout.create_tracker", acks_late=True, ignore_result=True, autoretry_for=(Exception,),
             retry_backoff=60, max_retries=5)
def create_tracker(fulfillment_id: str) -> None:
    """Ask EasyPost to track a parcel; retried while EasyPost is unreachable."""
    from .services.tracking import fulfillment_tracker_create

    fulfillment_tracker_create(fulfillment_id=fulfillment_id)
