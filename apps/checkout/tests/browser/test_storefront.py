"""The shopper's storefront on the demo shop (`seed_demo`) at desktop and phone widths: home, product
list, product, cart, the returns pages, sign in and sign up, checkout, confirmation and the account page.
Each page loads without a failed request or a console error, has no serious or critical axe-core violation,
and never scrolls sideways; each product picture loads a WebP rendition at least as wide as it is drawn;
screenshots go to test-artifacts/screenshots/storefront-*.png."""
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from apps.inventory.public import stock_on_hand

from ..shopper import PASSWORD, customer
from .conftest import PageChecks, add_to_cart, fill_card, fill_shipping

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRODUCT_PICTURES = ".product-card img, .category-card img, .product-media img, .summary-line img"


@pytest.fixture
def demo_shop(transactional_db, settings):
    settings.SELF_SERVICE_RETURNS_ENABLED = True
    call_command("seed_demo", stdout=StringIO())


def assert_product_pictures_loaded_sharp(page) -> int:
    """Scrolls to each product picture on the page (lazy ones load then) and checks it loaded one of its own
    WebP renditions with at least as many pixels across as it is drawn, and that its `sizes` announces a width
    no narrower than its box in the CSS (else a denser screen would pick a blurry rendition). A rendition's
    pixel width is its `w` descriptor (test_product_images.py opens each file to hold it to that; `naturalWidth`
    is no help: the browser divides it by the density it derived from `sizes`). The announced width is read
    from a hidden probe `<img>` with the same `sizes` and one candidate, which the browser draws that wide.
    Returns how many pictures it checked."""
    pictures = page.locator(PRODUCT_PICTURES)
    for index in range(pictures.count()):
        picture = pictures.nth(index)
        picture.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete", arg=picture.element_handle())
        seen = picture.evaluate("""async img => {
            const candidates = img.srcset.split(",").map(c => c.trim().split(" "));
            const probe = new Image();
            probe.alt = "";
            probe.style.cssText = "position: absolute; visibility: hidden; max-width: none; width: auto; height: auto";
            probe.sizes = img.sizes;
            probe.srcset = candidates.at(-1).join(" ");
            document.body.append(probe);
            await probe.decode();
            const announced = probe.getBoundingClientRect().width;
            probe.remove();
            return {current: img.currentSrc, natural: img.naturalWidth, announced,
                    drawn: img.getBoundingClientRect().width, dpr: devicePixelRatio,
                    renditions: Object.fromEntries(candidates.map(([url, w]) =>
                        [new URL(url, document.baseURI).href, parseInt(w)]))};
        }""")
        assert seen["natural"] > 0, f"picture {index} did not load: {seen}"
        assert seen["current"] in seen["renditions"] and seen["current"].endswith(".webp"), seen
        pixels = seen["renditions"][seen["current"]]
        assert pixels >= seen["drawn"] * seen["dpr"], f"picture {index} shows a {pixels}w rendition: {seen}"
        assert seen["announced"] + 1 >= seen["drawn"], f"picture {index}'s sizes is narrower than its box: {seen}"
    page.evaluate("window.scrollTo(0, 0)")
    return pictures.count()


@pytest.mark.parametrize("width", [1280, 375])
def test_storefront_pages_are_clean_at_desktop_and_phone_widths(live_server, demo_shop, page, axe_scan, shot, width):
    page.set_viewport_size({"width": width, "height": 900})
    checks = PageChecks(page, axe_scan, shot)
    base = live_server.url

    page.goto(f"{base}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Everyday things, done well."
    assert page.locator(".product-card img").count() == 8
    assert assert_product_pictures_loaded_sharp(page) == 8 + page.locator(".category-card").count()
    checks.check("home")

    page.goto(f"{base}/products/")
    names = page.locator(".product-card-name").all_inner_texts()
    assert len(names) == 24 and len(set(names)) == 24
    assert assert_product_pictures_loaded_sharp(page) == 24
    checks.check("product-list")

    page.goto(f"{base}/products/prod_headphones_nc/")
    on_hand = stock_on_hand(product_ids=["prod_headphones_nc"])["prod_headphones_nc"]
    assert page.locator("#stock-status").inner_text() == ("In stock" if on_hand > 20 else f"Only {on_hand} left")
    assert page.locator(".price-large").inner_text() == "$249.99"
    assert assert_product_pictures_loaded_sharp(page) == 1
    checks.check("product")

    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart/")
    checks.check("cart")

    page.goto(f"{base}/returns/start?order_id=ord_smoke_test")
    checks.check("returns-start")
    page.get_by_label("Email used at checkout").fill("smoke-test@vantage.example")
    page.get_by_label("Confirmation code").fill("cnf_smoke_test")
    page.get_by_role("button", name="Find my order").click()
    page.wait_for_url("**/returns/orders/ord_smoke_test")
    checks.check("returns-order")

    page.locator("select[name^=qty_]").first.select_option("1")
    page.locator("select[name^=reason_]").first.select_option("no_longer_needed")
    page.get_by_role("button", name="Create return and label").click()
    page.wait_for_url(f"{base}/returns/ret_*")
    assert page.locator(".return-status").inner_text() == "Label ready"
    assert "No longer needed" in page.locator(".lines").inner_text()
    checks.check("return-detail")


@pytest.mark.parametrize("width", [1280, 375])
def test_sign_in_checkout_confirmation_and_account_pages_are_clean(live_server, demo_shop, local_stripe, page,
                                                                   axe_scan, shot, width):
    page.set_viewport_size({"width": width, "height": 900})
    checks = PageChecks(page, axe_scan, shot)
    base = live_server.url

    for name, path in (("sign-in", "/accounts/login/"), ("sign-up", "/accounts/signup/")):
        page.goto(base + path)
        checks.check(name)

    add_to_cart(page, base, "prod_headphones_nc")
    page.get_by_role("link", name="Check out").click()
    page.wait_for_url("**/checkout/")
    assert assert_product_pictures_loaded_sharp(page) == 1  # the order summary's thumbnail
    checks.check("checkout")
    fill_shipping(page)
    fill_card(page)
    expect(page.locator("[data-place-order]")).to_be_visible()
    checks.check("checkout-review")
    page.locator("[data-place-order]").click()
    page.wait_for_url("**/checkout/confirmation/**", timeout=20_000)
    checks.check("confirmation")

    user = customer(email=f"walk-{width}@example.com")
    page.goto(f"{base}/accounts/login/?next=/account/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")
    checks.check("account")
