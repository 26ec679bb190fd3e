"""Every merchant-portal page (signed in as the demo merchant member) and every staff page (the admin's change
lists and change forms of the project's models, every /ops/ page) on the demo shop plus an order, a return, a
failed webhook delivery, at 1280 and 375 px: no request answered 4xx/5xx, no console error,
no serious or critical axe-core violation, no sideways scrolling on a phone (wide tables scroll inside their
own box). The pages are found by following the sites' own links, so a newly registered model is walked too;
screenshots go to test-artifacts/screenshots/walk-*.png."""
import re
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from rest_framework.test import APIClient

from apps.checkout.public import order_get

from ..orders_after_payment import paid_order
from .conftest import PageChecks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 375)


@pytest.fixture
def demo_with_activity(transactional_db, settings):
    """The demo shop, and what a shop that has traded for a while also has."""
    settings.SELF_SERVICE_RETURNS_ENABLED = True
    call_command("seed_demo", stdout=StringIO())
    model = django_apps.get_model
    products = model("catalog", "Product").objects.in_bulk(["prod_monitor_32in", "prod_headphones_nc"])
    paid_order([(products["prod_monitor_32in"], 1), (products["prod_headphones_nc"], 2)],
               email="jordan.lee@example.com", payment_method_label="Visa •••• 4242")
    smoke = order_get(order_id="ord_smoke_test")
    created = APIClient().post("/api/v1/returns", {
        "order_id": smoke.order_id, "email": smoke.email, "confirmation_token": smoke.confirmation_token,
        "items": [{"order_line_id": smoke.lines[0].line_id, "quantity": 1, "reason": "damaged",
                   "note": "The connector is bent."}]}, format="json")
    assert created.status_code == 201, created.content
    endpoint = model("inventory", "WebhookEndpoint").objects.get()  # the demo threshold's webhook
    failed = model("inventory", "WebhookDelivery").objects.create(
        event_id="evt_walk_failed_0001", endpoint=endpoint, merchant_id=endpoint.merchant_id, status="failed",
        event_type="inventory.low_stock", body='{"product_id": "prod_headphones_nc", "current_stock": 12, ' * 8,
        attempts=2, last_status_code=500)
    model("inventory", "WebhookAttempt").objects.create(delivery=failed, number=1, error="connection refused")
    model("inventory", "WebhookAttempt").objects.create(
        delivery=failed, number=2, status_code=500, latency_ms=84,
        error="HTTP 500: upstream handler crashed while parsing the payload; see request evt_walk_failed_0001")


def sign_in(page, url: str, username: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda current: "/login/" not in current)


def links(page, selector: str, pattern: str) -> list[str]:
    """The distinct paths of the links under `selector` that match `pattern`, in page order."""
    hrefs = page.eval_on_selector_all(selector, "links => links.map(a => a.getAttribute('href'))")
    return list(dict.fromkeys(href.split("?")[0] for href in hrefs if href and re.fullmatch(pattern, href)))


def walk(page, checks: PageChecks, base: str, path: str) -> list[str]:
    """Open `path` at each width and collect what is wrong with it."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(base + path)
        if response is None or response.status >= 400:
            problems.append(f"{path}: {response.status if response else 'no response'}")
        name = path.strip("/").replace("/", "-") or "index"
        problems += checks.problems(name)
    return problems


def walk_site(page, checks: PageChecks, base: str, root: str, app_labels: set[str]) -> tuple[list[str], list[str]]:
    """The site's index, each change list of the project's models and the change form of its first row."""
    walked, problems = [root], walk(page, checks, base, root)
    labels = "|".join(sorted(app_labels))
    for changelist in links(page, "#content-main a[href]", rf"{root}({labels})/\w+/"):
        walked.append(changelist)
        problems += walk(page, checks, base, changelist)
        change_forms = links(page, "#result_list tbody a[href]", rf"{changelist}[^/]+/change/")
        if change_forms:
            walked.append(change_forms[0])
            problems += walk(page, checks, base, change_forms[0])
    return walked, problems


def project_app_labels() -> set[str]:
    return {config.label for config in django_apps.get_app_configs() if config.name.startswith("apps.")}


def test_every_merchant_portal_page_is_clean(live_server, demo_with_activity, page, axe_scan, shot):
    checks = PageChecks(page, axe_scan, shot, prefix="walk")
    sign_in(page, f"{live_server.url}/merchant/login/", "merchant", "merchant")

    walked, problems = walk_site(page, checks, live_server.url, "/merchant/", project_app_labels())

    assert {"/merchant/catalog/product/", "/merchant/checkout/order/", "/merchant/inventory/lowstockalert/",
            "/merchant/inventory/webhookdelivery/", "/merchant/returns/returnitem/"} <= set(walked)
    assert len([path for path in walked if path.endswith("/change/")]) >= 6, walked
    assert problems == [], "\n".join(problems)


def test_every_admin_page_of_the_project_is_clean(live_server, demo_with_activity, page, axe_scan, shot):
    checks = PageChecks(page, axe_scan, shot, prefix="walk")
    sign_in(page, f"{live_server.url}/admin/login/", "admin", "admin")

    walked, problems = walk_site(page, checks, live_server.url, "/admin/", project_app_labels())

    assert {"/admin/checkout/order/", "/admin/returns/return/", "/admin/inventory/webhookdelivery/",
            "/admin/experiments/flag/", "/admin/payments/payment/"} <= set(walked)
    assert len([path for path in walked if path.endswith("/change/")]) >= 10, walked
    assert problems == [], "\n".join(problems)


def test_every_ops_page_is_clean(live_server, demo_with_activity, page, axe_scan, shot):
    checks = PageChecks(page, axe_scan, shot, prefix="walk")
    sign_in(page, f"{live_server.url}/admin/login/?next=/ops/", "admin", "admin")

    problems, walked = walk(page, checks, live_server.url, "/ops/"), ["/ops/"]
    for path in links(page, "main a[href], #content a[href]", r"/ops/[\w-]+/"):
        walked.append(path)
        problems += walk(page, checks, live_server.url, path)
    for path in links(page, "main a[href], #content a[href]", r"/ops/experiments/[\w-]+/"):
        walked.append(path)
        problems += walk(page, checks, live_server.url, path)

    assert {"/ops/inventory/", "/ops/payment-methods/", "/ops/guest-checkout/", "/ops/experiments/"} <= set(walked)
    assert any(re.fullmatch(r"/ops/experiments/[\w-]+/", path) for path in walked), walked
    assert problems == [], "\n".join(problems)
