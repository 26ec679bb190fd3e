"""Merchant Bearer tokens from `issue_token`, merchant scoping, and the merchant portal."""
from io import StringIO

import pytest
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.catalog.models import MerchantApiToken, MerchantMembership
from apps.catalog.testing import MerchantFactory, ProductFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("apps.catalog.tests.urls")]


def issue(slug: str) -> str:
    out = StringIO()
    call_command("issue_token", "--merchant", slug, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_issue_token_prints_the_token_last_and_stores_only_its_hash():
    MerchantFactory(slug="demo")
    token = issue("demo")
    assert token.startswith("vnt_") and len(token) > 40
    stored = MerchantApiToken.objects.get()
    assert token not in (stored.token_hash, stored.prefix)


def test_issue_token_for_unknown_merchant_fails_clearly():
    with pytest.raises(CommandError, match="No merchant with slug 'ghost'"):
        call_command("issue_token", "--merchant", "ghost", stdout=StringIO())


def test_bearer_token_scopes_the_api_to_the_merchant(client):
    mine, theirs = ProductFactory(merchant=MerchantFactory(slug="demo")), ProductFactory(
        merchant=MerchantFactory(slug="acme"))
    response = client.get("/api/test/my-products", headers={"Authorization": f"Bearer {issue('demo')}"})
    assert response.status_code == 200
    assert response.json() == {"products": [mine.id]}
    assert theirs.id not in response.json()["products"]


@pytest.mark.parametrize("header", ["", "Bearer vnt_unknown_token", "Basic abc"])
def test_missing_or_unknown_token_is_401(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/test/my-products", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "UNAUTHORIZED"


def test_revoked_token_is_refused(client):
    MerchantFactory(slug="demo")
    token = issue("demo")
    MerchantApiToken.objects.update(revoked_at=timezone.now())
    assert client.get("/api/test/my-products", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_ops_staff_see_every_merchant(client):
    products = [ProductFactory(merchant=MerchantFactory(slug=s)) for s in ("demo", "acme")]
    client.force_login(get_user_model().objects.create_user("ops", is_staff=True))
    assert client.get("/api/test/my-products").json() == {"products": sorted(p.id for p in products)}


def test_merchant_portal_shows_only_the_merchants_own_products(client):
    demo, acme = MerchantFactory(slug="demo"), MerchantFactory(slug="acme")
    mine, theirs = ProductFactory(merchant=demo, name="Mine"), ProductFactory(merchant=acme, name="Theirs")
    user = get_user_model().objects.create_user("shopkeeper", password="pw-123456")
    MerchantMembership.objects.create(user=user, merchant=demo)
    client.force_login(user)
    listing = client.get("/merchant/catalog/product/")
    assert listing.status_code == 200
    assert b"Mine" in listing.content and b"Theirs" not in listing.content
    other = client.get(f"/merchant/catalog/product/{quote(theirs.id)}/change/")
    assert other.status_code in (302, 404)
    assert client.get(f"/merchant/catalog/product/{quote(mine.id)}/change/").status_code == 200


def test_merchant_portal_refuses_users_without_a_merchant(client):
    client.force_login(get_user_model().objects.create_user("stranger"))
    assert client.get("/merchant/").status_code == 302  # to the portal's login page


def test_merchant_portal_login_accepts_a_merchant_member_who_is_not_staff(client):
    user = get_user_model().objects.create_user("shopkeeper", password="pw-123456")
    MerchantMembership.objects.create(user=user, merchant=MerchantFactory(slug="demo"))
    assert not user.is_staff

    response = client.post("/merchant/login/?next=/merchant/",
                           {"username": "shopkeeper", "password": "pw-123456", "next": "/merchant/"})

    assert response.status_code == 302 and response.headers["Location"] == "/merchant/"
    assert client.get("/merchant/").status_code == 200


def test_merchant_portal_login_refuses_staff_without_a_membership_and_says_where_to_go(client):
    get_user_model().objects.create_user("ops", password="pw-123456", is_staff=True)

    response = client.post("/merchant/login/", {"username": "ops", "password": "pw-123456"})

    assert response.status_code == 200
    assert b"not a member of any merchant" in response.content and b"/admin/" in response.content
    assert client.get("/merchant/").status_code == 302


def test_admin_login_still_requires_staff(client):
    user = get_user_model().objects.create_user("shopkeeper", password="pw-123456")
    MerchantMembership.objects.create(user=user, merchant=MerchantFactory(slug="demo"))
    get_user_model().objects.create_user("ops", password="pw-123456", is_staff=True)

    refused = client.post("/admin/login/", {"username": "shopkeeper", "password": "pw-123456"})
    accepted = client.post("/admin/login/?next=/admin/", {"username": "ops", "password": "pw-123456",
                                                          "next": "/admin/"})

    assert refused.status_code == 200 and b"staff account" in refused.content
    assert accepted.status_code == 302 and accepted.headers["Location"] == "/admin/"
