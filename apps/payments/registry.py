"""Who hears about payment status changes from Stripe webhooks (see `public.register_payment_event_handler`).

The payments app never imports checkout: the checkout app registers a function here from its
AppConfig.ready, and the webhook service calls every registered function inside the event's transaction.
"""
from collections.abc import Callable

PaymentEventHandler = Callable[[str, str, str, dict], None]

_handlers: list[PaymentEventHandler] = []


def register(handler: PaymentEventHandler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def unregister(handler: PaymentEventHandler) -> None:
    if handler in _handlers:
        _handlers.remove(handler)


def notify(event_type: str, confirmation_token: str, intent_id: str, data: dict) -> None:
    for handler in list(_handlers):
        handler(event_type, confirmation_token, intent_id, data)
