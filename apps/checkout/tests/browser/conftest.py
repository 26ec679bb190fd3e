"""Browser-test wiring: Playwright drives Debian's Chromium (see the root conftest's
`browser_type_launch_args`) against pytest-django's `live_server`, with the local Stripe server.

Helpers: `shop` (products with stock), `shot(page, name)` saves a full-page screenshot under
test-artifacts/screenshots/ (kept as CI artifacts), `axe_scan(page)` runs axe-core (vendored from
npm, test-only) and returns its violations, `PageChecks` collects what goes wrong on a page (failed
requests, console errors, serious axe violations, sideways scrolling), `fill_checkout(page, ...)` walks the
checkout sections.
"""
from decimal import Decimal
from pathlib import Path

import pytest

from apps.catalog.testing import ProductFactory
from apps.inventory.public import stock_set

SCREENSHOTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
ADDRESS = {"line1": "742 Evergreen Terrace", "city": "Springfield", "state": "IL", "zip": "62704"}


@pytest.fixture
def shop(transactional_db):
    """Two products with stock, the first one the seed's monitor."""
    monitor = ProductFactory(id="prod_monitor_32in", sku="MON-32-4K-PRO", name='32" 4K Pro Monitor',
                             price=Decimal("449.00"))
    cable = ProductFactory(id="prod_cable_usbc", sku="CBL-USBC-2M", name="USB-C Cable 2 Meter", price=Decimal("12.99"))
    for product in (monitor, cable):
        stock_set(product_id=product.id, quantity=50)
    return {"monitor": monitor, "cable": cable}


@pytest.fixture
def shot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def axe_scan():
    def scan(page) -> list[dict]:
        # Evaluated, not added as a <script> tag: the page's Content-Security-Policy would refuse an inline
        # script, and Playwright's evaluate is not subject to it.
        page.evaluate(AXE.read_text() + "\n;undefined")
        # No preload: axe would copy the stylesheets into inline <style> elements, which the policy refuses
        # (console errors of axe's own making); it only serves the experimental orientation-lock rule, which is off.
        result = page.evaluate("""async () => await axe.run(document, {preload: false,
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
        return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]]

    return scan


class PageChecks:
    """Collects what goes wrong while pages load: every request answered 4xx/5xx, console errors and
    uncaught exceptions (listened for from construction on), then per checked page its sideways scroll,
    serious or critical axe-core violations and a screenshot named `<prefix>-<name>-<width>`."""

    def __init__(self, page, axe_scan, shot, prefix: str = "storefront"):
        self.page, self.axe_scan, self.shot, self.prefix = page, axe_scan, shot, prefix
        self.failures: list[str] = []
        page.on("response", lambda r: r.status >= 400 and self.failures.append(f"{r.status} {r.url}"))
        page.on("console", lambda m: m.type == "error" and self.failures.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.failures.append(f"pageerror: {e}"))

    def problems(self, name: str) -> list[str]:
        """What is wrong with the page now showing (and the requests since the last call), screenshot taken."""
        self.page.wait_for_load_state("networkidle")
        width = self.page.viewport_size["width"]
        found, self.failures = [f"{name}: {failure}" for failure in self.failures], []
        overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            found.append(f"{name} scrolls sideways by {overflow}px at {width}px")
        found += [f"{name} at {width}px: axe {v['id']} ({v['impact']}) {v['help']} on {v['nodes'][:5]}"
                  for v in self.axe_scan(self.page) if v["impact"] in ("serious", "critical")]
        self.shot(self.page, f"{self.prefix}-{name}-{width}")
        return found

    def check(self, name: str) -> None:
        problems = self.problems(name)
        assert problems == [], "\n".join(problems)


@pytest.fixture
def csp_violations(page):
    """Every Content-Security-Policy violation the page meets, across navigations: the browser's
    `securitypolicyviolation` events (the listener is injected by CDP, itself exempt from the policy) and its
    console's "Content Security Policy" refusals. Also checks that each document really carries the header."""
    violations, seen_documents = [], []
    page.expose_function("reportCspViolation", lambda text: violations.append(text))
    page.add_init_script("""document.addEventListener("securitypolicyviolation", (event) => window.reportCspViolation(
        `${event.violatedDirective} blocked ${event.blockedURI} on ${event.documentURI}`));""")
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("response", lambda response: seen_documents.append(response)
            if response.request.resource_type == "document" and response.frame == page.main_frame else None)

    class Seen:
        documents = seen_documents

        @staticmethod
        def all() -> list[str]:
            page.wait_for_timeout(200)  # let the last page's events arrive
            return violations

        @staticmethod
        def documents_without_policy() -> list[str]:
            return [response.url for response in seen_documents
                    if response.status < 300 and "content-security-policy" not in response.headers]

    return Seen


@pytest.fixture(autouse=True)
def _browser_timeouts(page):
    page.set_default_timeout(15_000)
    return page


def add_to_cart(page, base_url: str, product_id: str, quantity: int = 1) -> None:
    page.goto(f"{base_url}/products/{product_id}/")
    page.get_by_label("Quantity").fill(str(quantity))
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart/")


def fill_shipping(page, email: str = "user4827@example.com", **address) -> None:
    values = {**ADDRESS, **address}
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Street address").fill(values["line1"])
    page.get_by_label("City").fill(values["city"])
    page.get_by_label("State").fill(values["state"])
    page.get_by_label("ZIP code").fill(values["zip"])
    page.get_by_role("button", name="Continue to payment").click()


def fill_card(page, number: str = "4242 4242 4242 4242", exp: str = "12 / 34", cvc: str = "123") -> None:
    page.get_by_label("Card number").fill(number)
    page.get_by_label("Expiry date").fill(exp)
    page.get_by_label("Security code").fill(cvc)
    page.get_by_role("button", name="Continue to review").click()


def checkout_to_review(page, base_url: str, product_id: str = "prod_monitor_32in", **shipping) -> None:
    add_to_cart(page, base_url, product_id)
    page.get_by_role("link", name="Check out").click()
    page.wait_for_url("**/checkout/")
    fill_shipping(page, **shipping)
    page.get_by_label("Card number").wait_for(state="visible")
    fill_card(page)
    page.locator("[data-place-order]").wait_for(state="visible")
