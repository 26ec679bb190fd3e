"""Shopper pages: find the order, pick items and reasons, see the return, download the label, cancel."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from apps.returns.models import Return, ReturnStatus

from .conftest import lines_of, verified_customer

pytestmark = pytest.mark.django_db


def test_guest_returns_an_item_through_the_pages(returns_on, make_order, client):
    order = make_order(lines=[(2, "25.00"), (1, "9.99")])
    first, second = lines_of(order)
    # the shopper finds the order
    assert client.get(f"/returns/start?order_id={order.id}").status_code == 200
    found = client.post("/returns/start", {"order_id": order.id, "email": order.email.upper(),
                                           "confirmation_token": order.confirmation_token})
    assert found.status_code == 302 and found["Location"] == f"/returns/orders/{order.id}"
    page = client.get(found["Location"])
    assert page.status_code == 200 and first.name in page.content.decode()
    # picks one unit of the first line with a reason
    created = client.post(found["Location"], {f"qty_{first.pk}": "1", f"reason_{first.pk}": "damaged",
                                              f"qty_{second.pk}": "0", f"reason_{second.pk}": "other"})
    assert created.status_code == 302
    ret = Return.objects.get()
    assert created["Location"] == f"/returns/{ret.id}"
    assert [(i.order_line_id, i.quantity, i.reason) for i in ret.items.all()] == [(str(first.pk), 1, "damaged")]
    # sees the status and downloads the label
    detail = client.get(created["Location"]).content.decode()
    assert "Label ready" in detail and "Download your return label" in detail
    label_path = re.search(r'href="http://testserver(/returns/labels/[^"]+)"', detail).group(1)
    assert b"".join(client.get(label_path).streaming_content).startswith(b"%PDF-")
    # and can cancel it
    assert client.post(f"/returns/{ret.id}/cancel").status_code == 302
    assert Return.objects.get(pk=ret.id).status == ReturnStatus.CANCELLED


def test_nothing_picked_shows_an_error(returns_on, make_order, client):
    order = make_order()
    (line,) = lines_of(order)
    client.post("/returns/start", {"order_id": order.id, "email": order.email,
                                   "confirmation_token": order.confirmation_token})
    page = client.post(f"/returns/orders/{order.id}", {f"qty_{line.pk}": "0", f"reason_{line.pk}": "other"})
    assert page.status_code == 200 and "Choose at least one item" in page.content.decode()
    assert not Return.objects.exists()


def test_wrong_details_do_not_open_the_order(returns_on, make_order, client):
    order = make_order()
    page = client.post("/returns/start", {"order_id": order.id, "email": "x@example.com",
                                          "confirmation_token": order.confirmation_token})
    assert page.status_code == 200 and "could not find that order" in page.content.decode()
    assert client.get(f"/returns/orders/{order.id}").status_code == 302


def test_someone_elses_return_page_is_not_found(returns_on, make_order, create_return):
    return_id = create_return(make_order()).json()["return_id"]
    stranger = Client()
    stranger.force_login(get_user_model().objects.create_user("mallory", "m@example.com", "pw"))
    assert stranger.get(f"/returns/{return_id}").status_code == 404


def test_signed_in_customer_opens_own_order_with_the_number_only(returns_on, make_order, client):
    user = verified_customer("ann", "ann@example.com")
    order = make_order(email="ann@example.com")
    client.force_login(user)
    found = client.post("/returns/start", {"order_id": order.id})
    assert found["Location"] == f"/returns/orders/{order.id}"
    assert client.get(found["Location"]).status_code == 200


def test_pages_are_hidden_while_the_flag_is_off(make_order, client):
    order = make_order()
    client.post("/returns/start", {"order_id": order.id, "email": order.email,
                                   "confirmation_token": order.confirmation_token})
    assert client.get(f"/returns/orders/{order.id}").status_code == 404


def test_order_page_link_follows_the_flag(settings, make_order):
    from apps.returns.public import return_start_url

    order = make_order()
    assert return_start_url(order_id=order.id, flag_context={}) is None
    settings.SELF_SERVICE_RETURNS_ENABLED = True
    assert return_start_url(order_id=order.id, flag_context={}) == f"/returns/orders/{order.id}"
    assert return_start_url(order_id=make_order(status="paid").id, flag_context={}) is None


def test_signed_in_home_lists_orders_with_return_links(returns_on, make_order, client):
    user = verified_customer("ann", "ann@example.com")
    returnable, unpaid = make_order(email="ann@example.com"), make_order(email="ann@example.com", status="paid")
    make_order(email="someone@example.com")
    client.force_login(user)
    html = client.get("/returns/").content.decode()
    assert f'href="/returns/orders/{returnable.id}"' in html
    assert unpaid.id in html and f'href="/returns/orders/{unpaid.id}"' not in html
    assert "someone" not in html
