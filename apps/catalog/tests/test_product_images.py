"""Product pictures as the pages serve them (home, product list, product detail, the checkout's order
summary): every `srcset` candidate is a shipped WebP file whose real pixel width is its `w` descriptor, each
`<img>` reserves its box (width/height of the file's shape) and says how wide it is drawn (`sizes`), and only
the pictures below the fold load lazily. The browser's side (what it picks and shows) is in
apps/checkout/tests/browser/test_storefront.py."""
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image

from apps.catalog.images import SHAPES, illustration_path, rendition_path
from apps.catalog.testing import CategoryFactory, ProductFactory
from apps.inventory.public import stock_set

pytestmark = pytest.mark.django_db

PICTURES = f"{settings.STATIC_URL}img/products/"
CATEGORY_SLUGS = ("electronics", "general-merchandise", "consumables", "something-new")


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.found.append(dict(attrs))


def product_images(html: str) -> list[dict]:
    """The attributes of each `<img>` showing a product picture, in page order."""
    parser = _Images()
    parser.feed(html)
    return [img for img in parser.found if img.get("src", "").startswith(PICTURES)]


def srcset_candidates(img: dict) -> list[tuple[str, int]]:
    candidates = []
    for candidate in img["srcset"].split(","):
        url, descriptor = candidate.split()
        assert descriptor.endswith("w"), candidate
        candidates.append((url, int(descriptor.removesuffix("w"))))
    return candidates


def static_file(url: str) -> Path:
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, f"{url} is on the page but no static file matches it"
    return Path(path)


@pytest.fixture
def catalogue():
    """Six products per category (one category without its own illustration), all in stock."""
    products = []
    for slug in CATEGORY_SLUGS:
        category = CategoryFactory(slug=slug, name=slug.replace("-", " ").title())
        for _ in range(6):
            products.append(ProductFactory(category=category))
            stock_set(product_id=products[-1].id, quantity=20)
    return products


def page_html(client, page: str, products) -> str:
    if page == "checkout":
        for product in products[::6]:  # one line per category
            client.post("/cart/add", {"product_id": product.id})
        return client.get("/checkout/").content.decode()
    url = {"home": "/", "product-list": "/products/", "product-detail": f"/products/{products[0].id}/"}[page]
    return client.get(url).content.decode()


@pytest.mark.parametrize("page", ["home", "product-list", "product-detail", "checkout"])
def test_every_srcset_candidate_is_a_shipped_webp_as_wide_as_its_descriptor(client, catalogue, page):
    images = product_images(page_html(client, page, catalogue))

    assert images, f"no product picture on the {page} page"
    for img in images:
        candidates = srcset_candidates(img)
        assert len(candidates) >= 3 and [w for _, w in candidates] == sorted(w for _, w in candidates), img
        assert img["src"] in [url for url, _ in candidates]
        assert img["sizes"] and img["decoding"] == "async" and img["alt"] == ""
        box = Fraction(int(img["width"]), int(img["height"]))
        for url, width in candidates:
            assert url.endswith(".webp"), url
            with Image.open(static_file(url)) as picture:
                assert picture.format == "WEBP", url
                assert picture.width == width, f"{url} is {picture.width}px wide, its descriptor says {width}w"
                assert Fraction(picture.width, picture.height) == box, f"{url} is not the shape of its box"


def test_the_pages_together_show_every_illustration(client, catalogue):
    html = "".join(page_html(client, page, catalogue) for page in ("home", "product-list", "checkout"))

    shown = {img["src"].removeprefix(settings.STATIC_URL).rsplit("-", 1)[0].removesuffix("-square")
             for img in product_images(html)}

    assert shown == {illustration_path(slug).removesuffix(".svg") for slug in CATEGORY_SLUGS}


def test_only_pictures_below_the_fold_load_lazily(client, catalogue):
    home = product_images(page_html(client, "home", catalogue))
    listing = product_images(page_html(client, "product-list", catalogue))
    detail = product_images(page_html(client, "product-detail", catalogue))
    summary = product_images(page_html(client, "checkout", catalogue))

    def lazy(images):
        return [img.get("loading") == "lazy" for img in images]

    # 8 featured cards (the first row of four eager), then the category tiles further down.
    assert lazy(home) == [False] * 4 + [True] * 4 + [True] * len(CATEGORY_SLUGS)
    assert lazy(listing) == [False] * 4 + [True] * (len(catalogue) - 4)
    assert lazy(detail) == [False]
    assert lazy(summary) == [False] * len(CATEGORY_SLUGS)


def test_each_layout_reserves_its_box_and_says_how_wide_it_is_drawn(client, catalogue):
    layouts = {page: {(img["sizes"], img["width"], img["height"]) for img in
                      product_images(page_html(client, page, catalogue))}
               for page in ("product-list", "product-detail", "checkout")}

    assert all(len(found) == 1 for found in layouts.values()), layouts  # one layout per page
    (grid,), (detail,), (thumbnail,) = layouts.values()
    assert grid[1:] == detail[1:] == ("480", "360") and thumbnail[1:] == ("56", "56")
    assert len({grid[0], detail[0], thumbnail[0]}) == 3  # the grid's cards, the detail and the thumbnail differ


def test_every_illustration_is_rendered_at_every_width():
    """An SVG added without running `python -m devtools.render_product_images` fails here."""
    drawings = sorted(Path(settings.BASE_DIR, "static", "img", "products").glob("*.svg"))
    assert len(drawings) >= 4

    for drawing in drawings:
        for shape in SHAPES:
            for width in shape.widths:
                path = static_file(settings.STATIC_URL + rendition_path(f"img/products/{drawing.name}", shape, width))
                with Image.open(path) as picture:
                    assert picture.size == (width, shape.height(width)), path
