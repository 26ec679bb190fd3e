"""The checkout page's weight budget (issue 8, the seed's performance goals): every stylesheet and script the
real page loads from /static/, gzipped as WhiteNoise serves them, stays within 60 KB. `python
benchmarks/page_weight.py` prints the same figures per asset."""
import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 60 * 1024
ASSET_RE = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="(/static/[^"?]+)')


def gzipped_assets(html: str) -> dict[str, int]:
    sizes = {}
    for url in dict.fromkeys(ASSET_RE.findall(html)):
        path = finders.find(url.removeprefix(settings.STATIC_URL))
        assert path, f"{url} is linked from the checkout page but no static file matches it"
        sizes[url] = len(gzip.compress(Path(path).read_bytes(), compresslevel=9))
    return sizes


def test_checkout_css_and_js_stay_within_60_kb_gzipped(client, make_product):
    client.post("/cart/add", {"product_id": make_product().id})

    html = client.get("/checkout/").content.decode()
    sizes = gzipped_assets(html)

    assert any(url.endswith(".js") for url in sizes) and any(url.endswith(".css") for url in sizes), sizes
    assert sum(sizes.values()) <= BUDGET_BYTES, f"{sum(sizes.values())} B gzipped over {BUDGET_BYTES} B: {sizes}"
