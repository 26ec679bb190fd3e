"""POST/GET/cancel /api/v1/returns through real HTTP requests: identification, eligibility,
the flag, the label link, events and the initiation success-rate metric."""
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.test import APIClient

from apps.returns.metrics import initiation_success_rate
from apps.returns.models import Return, ReturnStatus

from .conftest import guest, lines_of, outbox_events, verified_customer

pytestmark = pytest.mark.django_db


def test_guest_starts_a_return_and_downloads_a_pdf_label(returns_on, make_order, create_return, client):
    # given a delivered order with two lines
    order = make_order(lines=[(2, "25.00"), (1, "99.99")])
    first, second = lines_of(order)
    # when the guest returns one unit of the first line
    response = create_return(order, items=[(first, 1, "defective")])
    # then the return is created with a label and a refund estimate for that unit only
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["return_id"].startswith("ret_") and len(body["return_id"]) == 16
    assert body["status"] == "label_created"
    assert body["refund_estimate"] == 25.0
    assert body["items"] == [{"order_line_id": str(first.pk), "product_id": first.product_id, "name": first.name,
                              "quantity": 1, "reason": "defective", "note": "", "unit_price": 25.0,
                              "refund_amount": 25.0}]
    assert [step["to_status"] for step in body["history"]] == ["requested", "label_created"]
    # and the label link downloads a real PDF with both addresses and the tracking number
    label = client.get(body["label_url"].replace("http://testserver", ""))
    assert label.status_code == 200 and label["Content-Type"] == "application/pdf"
    pdf = b"".join(label.streaming_content)
    assert pdf.startswith(b"%PDF-")
    assert b"1 Main St" in pdf and b"500 Logistics Way" in pdf and body["tracking_code"].encode() in pdf


def test_omitting_items_returns_everything_still_returnable(returns_on, make_order, create_return):
    order = make_order(lines=[(2, "25.00"), (1, "10.00")])
    response = create_return(order, reason="wrong_item")
    assert response.status_code == 201
    assert [(i["quantity"], i["reason"]) for i in response.json()["items"]] == [(2, "wrong_item"), (1, "wrong_item")]
    assert response.json()["refund_estimate"] == 60.0


def test_signed_in_customer_returns_own_order_without_token(returns_on, make_order):
    user = verified_customer("ann", "ann@example.com")
    order = make_order(email="ANN@example.com")
    client = APIClient()
    client.force_login(user)
    response = client.post("/api/v1/returns", {"order_id": order.id}, format="json")
    assert response.status_code == 201
    return_id = response.json()["return_id"]
    assert Return.objects.get(pk=return_id).user_id == user.pk
    assert client.get(f"/api/v1/returns/{return_id}").status_code == 200
    assert [r["return_id"] for r in client.get("/api/v1/returns").json()["results"]] == [return_id]


@pytest.mark.parametrize("identity", [
    {"email": "someone.else@example.com"},
    {"confirmation_token": "cnf_wrongwrongwr"},
])
def test_guest_with_wrong_details_cannot_return_or_see_the_order(returns_on, make_order, create_return, identity):
    order = make_order()
    response = create_return(order, **identity)
    assert response.status_code == 404
    assert response.json()["error"] == "ORDER_NOT_FOUND"
    assert not Return.objects.exists()


def test_a_customer_can_never_see_or_return_another_customers_order(returns_on, make_order, create_return):
    # given Bob's order with a return
    bob_order = make_order(email="bob@example.com")
    bob_return = create_return(bob_order).json()["return_id"]
    # and Eve, signed in, with an order of her own
    eve = get_user_model().objects.create_user("eve", "eve@example.com", "pw")
    eve_client = APIClient()
    eve_client.force_login(eve)
    # then Eve can neither return Bob's order nor read, list or cancel his return
    assert eve_client.post("/api/v1/returns", {"order_id": bob_order.id}, format="json").json()["error"] == \
        "ORDER_NOT_FOUND"
    assert eve_client.get(f"/api/v1/returns/{bob_return}").status_code == 404
    assert eve_client.get(f"/api/v1/returns?order_id={bob_order.id}").status_code == 404
    assert eve_client.get("/api/v1/returns").json()["results"] == []
    assert eve_client.post(f"/api/v1/returns/{bob_return}/cancel", {}, format="json").status_code == 404
    # nor can an anonymous client with only the return id
    anonymous = APIClient().get(f"/api/v1/returns/{bob_return}")
    assert anonymous.status_code == 422
    assert Return.objects.get(pk=bob_return).status == ReturnStatus.LABEL_CREATED


def test_over_quantity_is_refused_including_units_already_returned(returns_on, make_order, create_return):
    order = make_order(lines=[(2, "25.00")])
    (line,) = lines_of(order)
    too_many = create_return(order, items=[(line, 3, "defective")])
    assert too_many.status_code == 422
    assert too_many.json()["errors"] == [{"field": "items.0.quantity", "code": "QUANTITY_EXCEEDS_RETURNABLE",
                                          "message": f"Only 2 of 2 × {line.name} can still be returned.",
                                          "constraint": "<= 2"}]
    assert create_return(order, items=[(line, 1, "defective")]).status_code == 201
    second = create_return(order, items=[(line, 2, "defective")])
    assert second.status_code == 422 and second.json()["errors"][0]["constraint"] == "<= 1"
    assert create_return(order, items=[(line, 1, "defective")]).status_code == 201


def test_out_of_window_order_is_refused(returns_on, settings, make_order, create_return):
    settings.RETURN_WINDOW_DAYS = 30
    order = make_order(delivered_at=timezone.now() - timedelta(days=31))
    response = create_return(order)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"], error["constraint"]) == (
        "order_id", "RETURN_WINDOW_EXPIRED", "within 30 days of delivery")


@pytest.mark.parametrize("status", ["pending", "paid", "cancelled", "payment_failed"])
def test_orders_not_yet_shipped_are_refused(returns_on, make_order, create_return, status):
    order = make_order(status=status, shipped_at=None, delivered_at=None)
    response = create_return(order)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "ORDER_NOT_RETURNABLE"


def test_shipped_but_not_delivered_order_can_be_returned(returns_on, make_order, create_return):
    order = make_order(status="shipped", delivered_at=None)
    assert create_return(order).status_code == 201


@pytest.mark.parametrize(("item", "field", "code"), [
    ({"order_line_id": "999999", "quantity": 1, "reason": "defective"}, "items.0.order_line_id",
     "UNKNOWN_ORDER_LINE"),
    ({"order_line_id": "LINE", "quantity": 0, "reason": "defective"}, "items.0.quantity", "OUT_OF_RANGE"),
    ({"order_line_id": "LINE", "quantity": 1, "reason": "bored"}, "items.0.reason", "INVALID_CHOICE"),
    ({"order_line_id": "LINE", "quantity": 1}, "items.0.reason", "REQUIRED"),
])
def test_malformed_items_are_422_with_the_field_named(returns_on, make_order, api_client, item, field, code):
    order = make_order()
    item = {**item, "order_line_id": item["order_line_id"].replace("LINE", str(lines_of(order)[0].pk))}
    response = api_client.post("/api/v1/returns", {"order_id": order.id, **guest(order), "items": [item]},
                               format="json")
    assert response.status_code == 422
    assert (response.json()["errors"][0]["field"], response.json()["errors"][0]["code"]) == (field, code)


def test_anonymous_without_guest_details_is_told_what_is_missing(returns_on, make_order, api_client):
    order = make_order()
    response = api_client.post("/api/v1/returns", {"order_id": order.id}, format="json")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"email", "confirmation_token"}


def test_flag_off_answers_feature_disabled(make_order, create_return, api_client):
    order = make_order()
    response = create_return(order)
    assert response.status_code == 404
    assert response.json()["error"] == "FEATURE_DISABLED"
    assert not Return.objects.exists()


def test_test_orders_bypass_the_flag_and_can_be_returned_on_every_deploy(make_order, create_return, settings):
    # given the flag off and a test order delivered long ago
    order = make_order(is_test=True, delivered_at=timezone.now() - timedelta(days=400))
    # then the smoke test's request works, every time
    for _ in range(2):
        response = create_return(order)
        assert response.status_code == 201
        assert response.json()["label_url"]
    assert Return.objects.filter(is_test=True).count() == 2


def test_label_link_is_signed_and_expires(returns_on, settings, make_order, create_return, client):
    body = create_return(make_order()).json()
    path = body["label_url"].replace("http://testserver", "")
    tampered = path.replace(body["return_id"], "ret_aaaaaaaaaaaa")
    assert client.get(tampered).status_code == 404
    settings.RETURN_LABEL_URL_TTL_SECONDS = -1
    assert client.get(path).status_code == 404


def test_cancel_voids_the_label_and_frees_the_quantity(returns_on, make_order, create_return, api_client, client):
    order = make_order(lines=[(1, "40.00")])
    body = create_return(order).json()
    response = api_client.post(f"/api/v1/returns/{body['return_id']}/cancel", guest(order), format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert response.json()["label_url"] is not None  # the record keeps it; the download is refused
    assert client.get(body["label_url"].replace("http://testserver", "")).status_code == 404
    assert create_return(order).status_code == 201


def test_cancel_after_the_package_left_is_refused(returns_on, make_order, create_return, api_client, settings):
    order = make_order()
    return_id = create_return(order).json()["return_id"]
    moved = api_client.post(f"/api/v1/returns/{return_id}/status", {"status": "in_transit"}, format="json",
                            headers={"X-Service-Auth": f"Bearer {settings.SERVICE_AUTH_TOKENS[0]}"})
    assert moved.status_code == 200 and moved.json()["status"] == "in_transit"
    response = api_client.post(f"/api/v1/returns/{return_id}/cancel", guest(order), format="json")
    assert response.status_code == 409 and response.json()["error"] == "RETURN_NOT_CANCELLABLE"


def test_status_endpoint_requires_service_auth(returns_on, make_order, create_return, api_client):
    return_id = create_return(make_order()).json()["return_id"]
    response = api_client.post(f"/api/v1/returns/{return_id}/status", {"status": "received"}, format="json")
    assert response.status_code == 401


def test_every_state_change_is_recorded_and_published(returns_on, make_order, create_return, api_client):
    order = make_order()
    return_id = create_return(order).json()["return_id"]
    api_client.post(f"/api/v1/returns/{return_id}/cancel", guest(order), format="json")
    events = [e for e in outbox_events() if e["return_id"] == return_id]
    assert [e["event_type"] for e in events] == ["return.requested", "return.label_created", "return.cancelled"]
    assert events[-1]["actor"] == {"type": "guest", "id": order.email}
    assert events[-1]["from_status"] == "label_created" and events[-1]["order_id"] == order.id
    transitions = Return.objects.get(pk=return_id).transitions.all()
    assert [(t.from_status, t.to_status, t.actor_type) for t in transitions] == [
        ("", "requested", "guest"), ("requested", "label_created", "system"),
        ("label_created", "cancelled", "guest")]


def test_initiation_success_rate_excludes_422_and_test_orders(returns_on, make_order, create_return, client):
    # given two successes, one 422 and one 404 (another customer's order) from real shoppers
    order = make_order(lines=[(3, "10.00")])
    (line,) = lines_of(order)
    assert create_return(order, items=[(line, 1, "defective")]).status_code == 201
    assert create_return(order, items=[(line, 1, "defective")]).status_code == 201
    assert create_return(order, items=[(line, 5, "defective")]).status_code == 422
    assert create_return(order, email="nobody@example.com").status_code == 404
    # and a test order's request that must not count
    assert create_return(make_order(is_test=True)).status_code == 201
    # then the rate is 2 / (4 - 1)
    assert initiation_success_rate() == pytest.approx(2 / 3)
    metrics = client.get("/metrics").content.decode()
    assert 'vantage_returns_initiation_requests_total{status="201",test_order="false"} 2.0' in metrics
    assert 'vantage_returns_initiation_requests_total{status="422",test_order="false"} 1.0' in metrics
    assert 'vantage_returns_initiation_requests_total{status="201",test_order="true"} 1.0' in metrics
    assert "vantage_returns_initiation_success_rate 0.666" in metrics


def test_idempotency_key_replays_the_first_return(returns_on, make_order, api_client):
    order = make_order(lines=[(1, "10.00")])
    body = {"order_id": order.id, **guest(order)}
    first = api_client.post("/api/v1/returns", body, format="json", headers={"Idempotency-Key": "k-1"})
    again = api_client.post("/api/v1/returns", body, format="json", headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["return_id"] == first.json()["return_id"]
    assert Return.objects.count() == 1


def test_idempotency_keys_of_two_signed_in_customers_never_mix(returns_on, make_order):
    users = [verified_customer(name, f"{name}@example.com") for name in ("ann", "bob")]
    clients = []
    for user in users:
        client = APIClient()
        client.force_login(user)
        clients.append(client)
    anns = make_order(email="ann@example.com")
    assert clients[0].post("/api/v1/returns", {"order_id": anns.id}, format="json",
                           headers={"Idempotency-Key": "same"}).status_code == 201
    bobs_try = clients[1].post("/api/v1/returns", {"order_id": anns.id}, format="json",
                               headers={"Idempotency-Key": "same"})
    assert bobs_try.status_code == 404 and "Idempotent-Replayed" not in bobs_try


def test_status_endpoint_refuses_unknown_returns_and_backward_moves(returns_on, make_order, create_return,
                                                                   api_client, settings):
    headers = {"X-Service-Auth": f"Bearer {settings.SERVICE_AUTH_TOKENS[0]}"}
    missing = api_client.post("/api/v1/returns/ret_doesnotexist/status", {"status": "received"}, format="json",
                              headers=headers)
    assert (missing.status_code, missing.json()["error"]) == (404, "RETURN_NOT_FOUND")
    return_id = create_return(make_order()).json()["return_id"]
    assert api_client.post(f"/api/v1/returns/{return_id}/status", {"status": "received"}, format="json",
                           headers=headers).json()["status"] == "received"
    backwards = api_client.post(f"/api/v1/returns/{return_id}/status", {"status": "in_transit"}, format="json",
                                headers=headers)
    assert (backwards.status_code, backwards.json()["error"]) == (409, "INVALID_TRANSITION")


def test_order_id_with_a_nul_is_refused_not_a_crash(returns_on, api_client):
    # found by `make proof`'s fuzzing: the flag check looked the raw id up and PostgreSQL refused the NUL (500)
    response = api_client.post("/api/v1/returns", {"order_id": "ord_\x00x", "email": "a@example.com",
                                                   "confirmation_token": "cnf_x"}, format="json")

    assert response.status_code in (404, 422)
