"""/ops/ links every staff page and summarises the low-stock panel."""
import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_index_links_every_staff_page(staff_client):
    html = staff_client.get("/ops/").content.decode()

    links = set(re.findall(r'href="(/ops/[^"]*)"', html))
    assert {"/ops/inventory/", "/ops/payment-methods/", "/ops/guest-checkout/", "/ops/experiments/"} <= links
    for link in links:
        assert staff_client.get(link).status_code == 200, link


def test_the_index_counts_products_below_threshold_by_urgency(low_stock, staff_client):
    html = staff_client.get("/ops/").content.decode()

    assert "1 critical · 1 warning · 0 informational" in " ".join(html.split())
    assert "Last stock check: never run" not in html


def test_the_index_says_when_the_stock_check_never_ran(staff_client):
    html = " ".join(staff_client.get("/ops/").content.decode().split())

    assert "0 critical · 0 warning · 0 informational" in html and "never run" in html


def test_every_staff_page_has_the_section_nav_marking_the_current_page(staff_client):
    html = staff_client.get("/ops/guest-checkout/").content.decode()

    nav = html[html.index('<nav class="ops-nav"'):html.index("</nav>", html.index('<nav class="ops-nav"'))]
    assert 'href="/ops/guest-checkout/" aria-current="page"' in nav
    assert nav.count('aria-current="page"') == 1


def test_the_admin_home_links_the_staff_pages(staff_client):
    admin_home = staff_client.get("/admin/").content.decode()

    assert 'href="/ops/"' in admin_home and "Staff pages" in admin_home
