"""The happy path of every API operation, by OpenAPI operation id: what to set up and which request
to send. A new endpoint needs an entry here (the contract tests fail for an operation without one)."""
import json
from collections.abc import Callable

from django.http import HttpResponse

from .conftest import ADDRESS, Shop

CASES: dict[str, Callable[[Shop], HttpResponse]] = {}

# Operations whose happy path cannot be built from fixtures, each with the reason. Empty today: keep
# it that way unless an operation truly needs an outside party the tests cannot stand in for.
SKIPPED: dict[str, str] = {}


def case(operation_id: str):
    def register(function):
        assert operation_id not in CASES, f"two happy paths for {operation_id}"
        CASES[operation_id] = function
        return function

    return register


def send(client, method: str, path: str, body: dict | None = None, **headers) -> HttpResponse:
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(path, data, content_type="application/json", headers=headers)


# --- checkout: carts, guest checkout, guest sessions ---------------------------------------------

@case("v1_carts_create")
def cart_create(shop):
    return send(shop.anonymous, "post", "/api/v1/carts", {"items": [
        {"product_id": shop.products[0].id, "quantity": 2}, {"product_id": shop.products[1].id, "quantity": 1}]})


@case("v1_carts_retrieve")
def cart_get(shop):
    return shop.anonymous.get(f"/api/v1/carts/{shop.cart.id}")


@case("v1_carts_items_create")
def cart_item_add(shop):
    return send(shop.anonymous, "post", f"/api/v1/carts/{shop.cart.id}/items",
                {"product_id": shop.products[2].id, "quantity": 3})


@case("v1_carts_items_partial_update")
def cart_item_set(shop):
    return send(shop.anonymous, "patch", f"/api/v1/carts/{shop.cart.id}/items/{shop.products[0].id}",
                {"quantity": 3})


@case("v1_carts_items_destroy")
def cart_item_remove(shop):
    return shop.anonymous.delete(f"/api/v1/carts/{shop.cart.id}/items/{shop.products[1].id}")


@case("v2_checkout_guest_create")
def guest_checkout(shop):
    return send(shop.anonymous, "post", "/api/v2/checkout/guest", {
        "cart_id": shop.cart.id, "email": "guest@example.com", "shipping_address": ADDRESS,
        "payment_method_id": "pm_card_visa"})


@case("v2_checkout_guest_session_create")
def guest_session_create(shop):
    return send(shop.anonymous, "post", "/api/v2/checkout/guest/session", {"cart_id": shop.cart.id})


def _guest_session(shop) -> tuple[str, str]:
    created = guest_session_create(shop).json()
    return created["session_id"], f"Bearer {created['session_token']}"


@case("v2_checkout_guest_shipping_options_retrieve")
def guest_shipping_options(shop):
    query = {"cart_id": shop.cart.id, "country": ADDRESS["country"], "state": ADDRESS["state"], "zip": ADDRESS["zip"]}
    return shop.anonymous.get("/api/v2/checkout/guest/shipping-options", query)


@case("v2_checkout_guest_session_retrieve")
def guest_session_get(shop):
    session_id, authorization = _guest_session(shop)
    send(shop.anonymous, "patch", f"/api/v2/checkout/guest/session/{session_id}",
         {"shipping_address": ADDRESS}, Authorization=authorization)  # so the session shows its quote
    return shop.anonymous.get(f"/api/v2/checkout/guest/session/{session_id}",
                              headers={"Authorization": authorization})


@case("v2_checkout_guest_session_partial_update")
def guest_session_update(shop):
    session_id, authorization = _guest_session(shop)
    return send(shop.anonymous, "patch", f"/api/v2/checkout/guest/session/{session_id}",
                {"email": "guest@example.com", "shipping_address": ADDRESS}, Authorization=authorization)


# --- payments: internal intents, saved cards, the default address --------------------------------

@case("v1_intents_create_create")
def intent_create(shop):
    return send(shop.service_client, "post", "/api/v1/intents/create", {
        "amount": 129.50, "currency": "USD", "payment_method_id": "pm_card_visa",
        "metadata": {"cart_id": shop.cart.id, "checkout_type": "guest"}})


@case("v1_intents_confirm_create")
def intent_confirm(shop):
    return send(shop.service_client, "post", "/api/v1/intents/confirm",
                {"intent_id": intent_create(shop).json()["intent_id"]})


@case("v1_payment_methods_create")
def card_save(shop):
    return send(shop.shopper_client, "post", "/api/v1/payment-methods", {"payment_method_id": "pm_card_visa"})


@case("v1_payment_methods_retrieve")
def card_list(shop):
    card_save(shop)
    return shop.shopper_client.get("/api/v1/payment-methods")


@case("v1_payment_methods_default_create")
def card_make_default(shop):
    return shop.shopper_client.post(f"/api/v1/payment-methods/{card_save(shop).json()['payment_method_id']}/default")


@case("v1_payment_methods_destroy")
def card_remove(shop):
    return shop.shopper_client.delete(f"/api/v1/payment-methods/{card_save(shop).json()['payment_method_id']}")


@case("v1_addresses_default_update")
def address_set(shop):
    return send(shop.shopper_client, "put", "/api/v1/addresses/default", ADDRESS)


@case("v1_addresses_default_retrieve")
def address_get(shop):
    address_set(shop)
    return shop.shopper_client.get("/api/v1/addresses/default")


# --- inventory: thresholds, alerts, stock, webhooks (merchant token) -----------------------------

@case("threshold_create")
def threshold_create(shop):
    return send(shop.merchant_client, "post", "/api/v1/inventory/thresholds", {
        "product_id": shop.products[0].id, "threshold_type": "relative", "threshold_percentage": 150,
        "reorder_lead_days": 7, "alert_channels": ["kafka", "email_digest"]})


@case("threshold_list")
def threshold_list(shop):
    assert shop.threshold
    return shop.merchant_client.get("/api/v1/inventory/thresholds")


@case("threshold_get")
def threshold_get(shop):
    return shop.merchant_client.get(f"/api/v1/inventory/thresholds/{shop.threshold.id}")


@case("threshold_update")
def threshold_update(shop):
    return send(shop.merchant_client, "patch", f"/api/v1/inventory/thresholds/{shop.threshold.id}",
                {"threshold_value": 60})


@case("threshold_delete")
def threshold_delete(shop):
    return shop.merchant_client.delete(f"/api/v1/inventory/thresholds/{shop.threshold.id}")


@case("threshold_bulk_apply")
def threshold_bulk_apply(shop):
    return send(shop.merchant_client, "post", "/api/v1/inventory/thresholds/bulk", {
        "category": shop.products[0].category.slug, "threshold_type": "absolute", "threshold_value": 25,
        "alert_channels": ["kafka"]})


@case("alert_list")
def alert_list(shop):
    assert shop.threshold  # and the alert the stock check raised for it
    return shop.merchant_client.get("/api/v1/inventory/alerts")


def _stock_path(shop) -> str:
    return f"/api/v1/inventory/stock/{shop.products[0].id}"


@case("stock_get")
def stock_get(shop):
    return shop.merchant_client.get(_stock_path(shop))


@case("stock_set")
def stock_set(shop):
    return send(shop.merchant_client, "put", _stock_path(shop), {"quantity": 42})


@case("stock_adjust")
def stock_adjust(shop):
    return send(shop.merchant_client, "post", f"{_stock_path(shop)}/adjustments",
                {"delta": 5, "reason": "restock", "note": "pallet 7"})


@case("stock_movements")
def stock_movements(shop):
    return shop.merchant_client.get(f"{_stock_path(shop)}/adjustments")


@case("webhook_endpoint_set")
def webhook_endpoint_set(shop):
    return send(shop.merchant_client, "put", "/api/v1/inventory/webhook-endpoint",
                {"url": "https://merchant.example.com/hooks", "secret": "whsec_contract_tests_0123456789"})


@case("webhook_endpoint_get")
def webhook_endpoint_get(shop):
    assert shop.webhook_endpoint
    return shop.merchant_client.get("/api/v1/inventory/webhook-endpoint")


@case("webhook_test_send")
def webhook_test_send(shop):
    assert shop.webhook_endpoint
    return shop.merchant_client.post("/api/v1/inventory/webhook-endpoint/test")


@case("webhook_delivery_list")
def webhook_delivery_list(shop):
    webhook_test_send(shop)
    return shop.merchant_client.get("/api/v1/inventory/webhook-deliveries")


# --- returns: shoppers (guest proof), services, merchants ----------------------------------------

def _guest_query(shop) -> str:
    return f"email={shop.guest['email']}&confirmation_token={shop.guest['confirmation_token']}"


@case("returns_create")
def return_create(shop):
    return send(shop.anonymous, "post", "/api/v1/returns", {"order_id": shop.order.id, **shop.guest})


@case("returns_list")
def return_list(shop):
    assert shop.return_id
    return shop.anonymous.get(f"/api/v1/returns?order_id={shop.order.id}&{_guest_query(shop)}")


@case("v1_returns_retrieve")
def return_get(shop):
    return shop.anonymous.get(f"/api/v1/returns/{shop.return_id}?{_guest_query(shop)}")


@case("v1_returns_cancel_create")
def return_cancel(shop):
    return send(shop.anonymous, "post", f"/api/v1/returns/{shop.return_id}/cancel", shop.guest)


@case("v1_returns_status_create")
def return_receive(shop):
    return send(shop.service_client, "post", f"/api/v1/returns/{shop.return_id}/status", {"status": "received"})


@case("v1_merchant_returns_retrieve")
def merchant_return_list(shop):
    assert shop.return_id
    return shop.merchant_client.get("/api/v1/merchant/returns")


# --- experiments: flags for services, the analyst's calculator, analytics for staff --------------

@case("v1_flags_evaluate_create")
def flags_evaluate(shop):
    return send(shop.service_client, "post", "/api/v1/flags/evaluate",
                {"context": {"user_id": "u_1", "region": "us-east"}})


@case("v1_experiments_analyze_create")
def experiment_analyze(shop):
    return send(shop.service_client, "post", "/api/v1/experiments/analyze", {
        "control": "control", "variants": [{"name": "control", "units": 1000, "conversions": 120},
                                           {"name": "variant_b", "units": 1000, "conversions": 150}],
        "planned_allocation": {"control": 0.5, "variant_b": 0.5}})


@case("analytics_experiments_list")
def experiment_list(shop):
    assert shop.experiment
    return shop.staff_client.get("/api/v1/analytics/experiments")


@case("v1_analytics_experiments_retrieve")
def experiment_results(shop):
    shop.record_journeys(experiment=shop.experiment)
    return shop.staff_client.get(f"/api/v1/analytics/experiments/{shop.experiment.key}")


@case("v1_analytics_payment_methods_retrieve")
def payment_method_dashboard(shop):
    shop.record_journeys()
    return shop.staff_client.get("/api/v1/analytics/payment-methods")


@case("v1_analytics_guest_checkout_retrieve")
def guest_checkout_dashboard(shop):
    shop.record_journeys()
    return shop.staff_client.get("/api/v1/analytics/guest-checkout")


# --- checkout: orders after payment (merchant fulfilment, shopper cancellation) -------------------

def _paid(shop):
    """The shop's charged order, back at `paid` (nothing shipped yet)."""
    order = shop.order
    order.status, order.shipped_at, order.delivered_at = "paid", None, None
    order.save()
    return order


def _fulfil(shop):
    order = _paid(shop)
    lines = [{"order_line_id": line.pk, "quantity": line.quantity} for line in order.lines.order_by("id")]
    return order, send(shop.merchant_client, "post", f"/api/v1/merchant/orders/{order.id}/fulfillments",
                       {"lines": lines, "carrier": "UPS", "tracking_number": "1Z999AA10123456784"})


@case("merchant_order_list")
def merchant_order_list(shop):
    assert _paid(shop)
    return shop.merchant_client.get("/api/v1/merchant/orders?status=paid")


@case("merchant_fulfillment_create")
def merchant_fulfillment_create(shop):
    return _fulfil(shop)[1]


@case("merchant_fulfillment_delivered")
def merchant_fulfillment_delivered(shop):
    order, created = _fulfil(shop)
    fulfillment_id = created.json()["fulfillment_id"]
    return shop.merchant_client.post(f"/api/v1/merchant/orders/{order.id}/fulfillments/{fulfillment_id}/delivered")


@case("order_cancel")
def order_cancel(shop):
    order = _paid(shop)
    return send(shop.anonymous, "post", f"/api/v1/orders/{order.id}/cancel", shop.guest)
