"""Demo data of the returns app (idempotent): nothing of its own beyond what checkout seeds —
the smoke-test order `ord_smoke_test` — but it reports how to try the returns flow."""
from apps.checkout.public import order_get

SMOKE_ORDER_ID = "ord_smoke_test"


def seed(stdout) -> None:
    order = order_get(order_id=SMOKE_ORDER_ID)
    if order is None:
        stdout.write("returns: ord_smoke_test is missing (the checkout seed creates it)")
        return
    stdout.write(f"returns: try /returns/start?order_id={order.order_id} (email {order.email}, code cnf_smoke_test) "
                 f"or `manage.py returns_smoke_test --base-url http://127.0.0.1:8000`")
