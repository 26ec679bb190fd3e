"""The dashboards' charts are drawn by our own static JavaScript in a real browser (Chromium)."""
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from apps.experiments import public

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _session_cookie(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def test_payment_method_chart_is_drawn_as_svg(live_server, staff_user, context):
    day = datetime(2025, 10, 15, 12, tzinfo=UTC)
    for n, method in enumerate(["card", "apple_pay", "paypal", "apple_pay"]):
        unit = {"session_id": f"browser-{n}"}
        public.track("checkout_started", {}, unit, occurred_at=day + timedelta(days=n))
        public.track("order_confirmed", {"payment_method": method, "amount": "20.00"}, unit,
                     occurred_at=day + timedelta(days=n, minutes=3))
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": _session_cookie(staff_user),
                          "url": live_server.url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/ops/payment-methods/?start=2025-10-01&end=2025-10-31")
    page.wait_for_selector("figure[data-chart] svg rect", state="attached")
    assert page.locator("figure[data-chart] svg rect").count() == 4
    assert page.locator(".chart-legend span").all_inner_texts() == ["apple_pay", "card", "paypal"]
    assert errors == []
