"""Orders in the ops admin: found by their ids, read-only, refunded through payments; permissions."""
import pytest
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Permission

from apps.catalog.testing import ProductFactory
from apps.checkout.models import Fulfillment, Order
from apps.checkout.testing import CartFactory, send_queued_emails
from apps.payments.public import ChargeRequest, charge

from .orders_after_payment import order_events, paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def charged(make_product, local_stripe):
    order = paid_order([(make_product(price="60.00"), 1)], email="findme@example.com")
    charge(ChargeRequest(order_id=order.id, amount=order.total, currency="USD", payment_method_id="pm_card_visa",
                         confirmation_token=order.confirmation_token, customer_email=order.email))
    order.refresh_from_db()
    return order


def staff(django_user_model, *codenames):
    user = django_user_model.objects.create_user(username="ops", email="ops@example.com", password="x",
                                                 is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="checkout", codename__in=codenames))
    return user


@pytest.mark.parametrize("term", ["id", "email", "confirmation_token"])
def test_ops_find_an_order_by_its_ids(client, charged, django_user_model, term):
    client.force_login(staff(django_user_model, "view_order"))

    page = client.get("/admin/checkout/order/", {"q": getattr(charged, term)}).content.decode()

    assert charged.id in page


def test_staff_without_order_permissions_see_no_orders(client, charged, django_user_model):
    client.force_login(staff(django_user_model))

    assert client.get("/admin/checkout/order/").status_code == 403
    assert client.get(f"/admin/checkout/order/{quote(charged.id)}/refund/").status_code == 403


def test_viewer_cannot_refund(client, charged, django_user_model):
    client.force_login(staff(django_user_model, "view_order"))

    response = client.post(f"/admin/checkout/order/{quote(charged.id)}/refund/",
                           {"amount": "10.00", "reason": "requested_by_customer", "note": "dented box"})

    assert response.status_code == 403 and not order_events(charged.id)


def test_partial_refund_goes_through_payments_and_is_audited(client, charged, django_user_model, local_stripe):
    client.force_login(staff(django_user_model, "view_order", "change_order"))

    response = client.post(f"/admin/checkout/order/{quote(charged.id)}/refund/",
                           {"amount": "15.50", "reason": "requested_by_customer", "note": "dented box"})

    assert response.status_code == 302
    (stripe_refund,) = local_stripe.store.refunds.values()
    assert stripe_refund["amount"] == 1550
    (event,) = order_events(charged.id)
    assert (event["event_type"], event["amount"], event["actor"], event["note"]) == (
        "order_refunded", "15.50", "ops:ops", "dented box")
    history = client.get(f"/admin/checkout/order/{quote(charged.id)}/history/").content.decode()
    assert "Refunded 15.50" in history
    assert Order.objects.get(id=charged.id).status == Order.Status.PAID


def test_refund_above_the_paid_amount_is_refused(client, charged, django_user_model, local_stripe):
    client.force_login(staff(django_user_model, "view_order", "change_order"))

    response = client.post(f"/admin/checkout/order/{quote(charged.id)}/refund/",
                           {"amount": "60.01", "reason": "requested_by_customer", "note": "too much"})

    assert response.status_code == 200 and "not possible" in response.content.decode()
    assert not local_stripe.store.refunds and not order_events(charged.id)


def test_order_page_shows_payment_lines_and_timeline_read_only(client, charged, django_user_model, local_stripe):
    client.force_login(staff(django_user_model, "view_order", "change_order"))

    page = client.get(f"/admin/checkout/order/{quote(charged.id)}/change/").content.decode()

    (intent,) = local_stripe.store.intents.values()
    assert intent["id"] in page and "<td>succeeded</td>" in page and "60.00 USD" in page
    assert "Order placed" in page and "Refund (full or partial)" in page
    assert 'name="total"' not in page  # money is read-only


def test_order_page_lists_the_payment_and_its_refunds_from_payments(client, charged, django_user_model,
                                                                    local_stripe):
    client.force_login(staff(django_user_model, "view_order", "change_order"))
    for amount in ("15.50", "4.50"):
        client.post(f"/admin/checkout/order/{quote(charged.id)}/refund/",
                    {"amount": amount, "reason": "requested_by_customer", "note": "dented box"})

    page = client.get(f"/admin/checkout/order/{quote(charged.id)}/change/").content.decode()

    (intent,) = local_stripe.store.intents.values()
    (stripe_charge,) = local_stripe.store.charges.values()
    first, second = sorted(local_stripe.store.refunds.values(), key=lambda refund: refund["amount"], reverse=True)
    payments = page.split('class="order-payments"', 1)[1].split("</table>", 1)[0]
    assert intent["id"] in payments and stripe_charge["id"] in payments
    assert "partially_refunded" in payments and "<td>20.00</td>" in payments  # refunded so far
    assert f"refund {first['id']}" in payments and "−15.50 USD" in payments
    assert f"refund {second['id']}" in payments and "−4.50 USD" in payments


def test_ops_find_an_order_by_payment_intent_and_tracking_number(client, charged, django_user_model, local_stripe):
    (intent,) = local_stripe.store.intents.values()
    Order.objects.filter(id=charged.id).update(payment_intent_id=intent["id"])  # as the checkout records it
    parcel = Fulfillment.objects.create(order=charged, carrier="UPS", tracking_number="1ZFINDME0001")
    other = paid_order([(ProductFactory(), 1)], email="other@example.com")
    client.force_login(staff(django_user_model, "view_order"))

    for term in (intent["id"], parcel.tracking_number):
        page = client.get("/admin/checkout/order/", {"q": term}).content.decode()
        assert charged.id in page and other.id not in page


def test_cancel_action_refunds_in_full_releases_stock_and_is_audited(client, charged, django_user_model,
                                                                     local_stripe):
    client.force_login(staff(django_user_model, "view_order", "change_order"))

    response = client.post("/admin/checkout/order/", {"action": "cancel_and_refund",
                                                      "_selected_action": [charged.id]})

    assert response.status_code == 302
    assert Order.objects.get(id=charged.id).status == Order.Status.CANCELLED
    (stripe_refund,) = local_stripe.store.refunds.values()
    assert stripe_refund["amount"] == int(charged.total * 100)
    cancelled, refunded = order_events(charged.id)
    assert (cancelled["event_type"], cancelled["actor"], refunded["event_type"]) == (
        "order_cancelled", "ops:ops", "order_refunded")
    history = client.get(f"/admin/checkout/order/{quote(charged.id)}/history/").content.decode()
    assert "Cancelled and refunded in full" in history


def test_viewer_has_no_cancel_or_resend_action(client, charged, django_user_model, local_stripe):
    client.force_login(staff(django_user_model, "view_order"))

    client.post("/admin/checkout/order/", {"action": "cancel_and_refund", "_selected_action": [charged.id]})

    assert Order.objects.get(id=charged.id).status == Order.Status.PAID and not local_stripe.store.refunds
    assert "resend_confirmation" not in client.get("/admin/checkout/order/").content.decode()


def test_resend_confirmation_queues_and_sends_the_email_again(client, charged, django_user_model, mailoutbox):
    client.force_login(staff(django_user_model, "view_order", "change_order"))

    client.post("/admin/checkout/order/", {"action": "resend_confirmation", "_selected_action": [charged.id]})
    (delivery,) = send_queued_emails()

    assert (delivery.template, delivery.to, delivery.status) == ("order_confirmation", charged.email, "sent")
    (message,) = mailoutbox
    assert charged.id in message.subject and str(charged.total) in message.body


def test_carts_are_read_only_in_the_admin(client, django_user_model):
    cart = CartFactory()
    user = staff(django_user_model, "view_cart", "change_cart")
    client.force_login(user)

    page = client.get(f"/admin/checkout/cart/{quote(cart.id)}/change/")
    changed = client.post(f"/admin/checkout/cart/{quote(cart.id)}/change/", {"status": "ordered", "currency": "EUR"})

    assert page.status_code == 200 and 'name="currency"' not in page.content.decode()
    assert changed.status_code == 403
    assert client.get("/admin/checkout/cart/add/").status_code == 403


def test_an_order_whose_id_looks_admin_escaped_is_refunded_from_its_page(client, django_user_model, make_product,
                                                                         local_stripe):
    """Admin URLs escape keys with "_": an id like ord_22… must not come back as ord"…."""
    order = paid_order([(make_product(price="30.00"), 1)], id="ord_22ab40cd26ef")
    charge(ChargeRequest(order_id=order.id, amount=order.total, currency="USD", payment_method_id="pm_card_visa",
                         confirmation_token=order.confirmation_token, customer_email=order.email))
    client.force_login(staff(django_user_model, "view_order", "change_order"))
    page = client.get(f"/admin/checkout/order/{quote(order.id)}/change/").content.decode()
    refund_url = page.split('class="button" href="', 1)[1].split('"', 1)[0]

    form = client.get(refund_url).content.decode()
    response = client.post(refund_url, {"amount": "5.00", "reason": "requested_by_customer", "note": "scratch"})

    assert f'href="/admin/checkout/order/{quote(order.id)}/change/"' in form  # the breadcrumb back

    assert response.status_code == 302 and client.get(response["Location"]).status_code == 200
    (stripe_refund,) = local_stripe.store.refunds.values()
    assert stripe_refund["amount"] == 500
