"""The shipping configuration in the ops admin, through its HTTP forms: pages render, valid zones, methods and
bands are saved, and every invalid input is refused with a message saying what to fix (nothing saved)."""
import html
import re
from decimal import Decimal

import pytest

from apps.shipping.models import ShippingMethod, ShippingRateBand, ShippingZone
from apps.shipping.testing import ShippingZoneFactory

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


def zone_form(**fields) -> dict:
    return {"name": "Somewhere", "countries": "", "states": "", "currency": "USD",
            "methods-TOTAL_FORMS": "0", "methods-INITIAL_FORMS": "0", **fields}


def method_form(zone: ShippingZone, bands=(), **fields) -> dict:
    data = {"zone": zone.pk, "code": "parcel", "name": "Parcel", "active": "on", "position": "0", "pricing": "flat",
            "price": "6.50", "free_shipping_threshold": "", "transit_min_days": "2", "transit_max_days": "4",
            "bands-TOTAL_FORMS": str(len(bands)), "bands-INITIAL_FORMS": "0", "bands-MIN_NUM_FORMS": "0",
            "bands-MAX_NUM_FORMS": "1000", **fields}
    for index, (low, high, price) in enumerate(bands):
        data.update({f"bands-{index}-min_value": low, f"bands-{index}-max_value": high, f"bands-{index}-price": price})
    return data


@pytest.fixture
def us_zone():
    return ShippingZoneFactory(name="United States", countries=["US"])


def test_ops_without_shipping_permissions_are_refused(staff_client):
    assert staff_client.get("/admin/shipping/shippingmethod/").status_code == 403


def test_every_shipping_admin_page_renders(shipping_staff_client, shipping_rates):
    alaska = ShippingZone.objects.get(name="Alaska & Hawaii")
    banded = alaska.methods.get(code="standard")
    pages = {
        "/admin/shipping/": "Shipping zones",
        "/admin/shipping/shippingzone/": "Alaska & Hawaii",
        "/admin/shipping/shippingzone/add/": "ISO 3166-1 alpha-2",
        f"/admin/shipping/shippingzone/{alaska.pk}/change/": "AK,HI",
        "/admin/shipping/shippingmethod/": "5.99, free from 50.00",
        "/admin/shipping/shippingmethod/add/": "free-shipping threshold",
        f"/admin/shipping/shippingmethod/{banded.pk}/change/": "10000.00",
    }

    for url, text in pages.items():
        response = shipping_staff_client.get(url)
        assert response.status_code == 200, url
        assert text in page(response), url


def test_a_zone_is_saved_with_normalised_codes(shipping_staff_client):
    response = shipping_staff_client.post("/admin/shipping/shippingzone/add/",
                                          zone_form(name="Oceania", countries="nz, au ,AU", currency="usd"))

    assert response.status_code == 302, page(response)
    zone = ShippingZone.objects.get(name="Oceania")
    assert (zone.countries, zone.states, zone.currency) == (["AU", "NZ"], [], "USD")


@pytest.mark.parametrize(("fields", "message"), [
    (dict(countries=""), "This field is required."),
    (dict(countries="US,XX"), "Unknown country code(s): XX"),
    (dict(countries="EU"), "Unknown country code(s): EU"),
    (dict(countries="USA"), "Unknown country code(s): USA. Use ISO 3166-1 alpha-2 codes such as US, CA, GB."),
    (dict(countries="DE", states="BY-EXTRA"), "Region codes are 1–3 letters or digits: BY-EXTRA."),
    (dict(countries="US,CA", states="AK"), "A zone with states names exactly one country"),
    (dict(countries="US", states="AK,ZZ,ALASKA"), "Unknown US state code(s): ALASKA, ZZ"),
    (dict(countries="US", currency="U$D"), "Unknown currency 'U$D': use an ISO 4217 code such as USD."),
])
def test_a_zone_with_bad_codes_is_refused(shipping_staff_client, fields, message):
    response = shipping_staff_client.post("/admin/shipping/shippingzone/add/", zone_form(**fields))

    assert response.status_code == 200
    assert message in page(response)
    assert not ShippingZone.objects.exists()


@pytest.mark.parametrize(("fields", "message"), [
    (dict(countries="FR,IT"), "FR, IT already in zone “International”"),
    (dict(countries="US"), "US already in zone “United States”"),
    (dict(countries="US", states="HI,PR"), "HI already in zone “Alaska & Hawaii”"),
])
def test_a_destination_belongs_to_one_zone_per_currency(shipping_staff_client, shipping_rates, fields, message):
    zones_before = ShippingZone.objects.count()

    response = shipping_staff_client.post("/admin/shipping/shippingzone/add/", zone_form(**fields))

    assert message in page(response)
    assert ShippingZone.objects.count() == zones_before


@pytest.mark.parametrize("fields", [
    dict(countries="US", states="PR,GU"),   # a state zone inside the US zone: the more specific one wins
    dict(countries="FR", currency="EUR"),   # the same country priced in another currency
])
def test_zones_that_do_not_compete_are_accepted(shipping_staff_client, shipping_rates, fields):
    response = shipping_staff_client.post("/admin/shipping/shippingzone/add/", zone_form(**fields))

    assert response.status_code == 302, page(response)


def test_editing_a_zone_does_not_compete_with_itself(shipping_staff_client, us_zone):
    response = shipping_staff_client.post(f"/admin/shipping/shippingzone/{us_zone.pk}/change/",
                                          zone_form(name="USA", countries="US"))

    assert response.status_code == 302, page(response)
    assert ShippingZone.objects.get(pk=us_zone.pk).name == "USA"


def test_a_zone_with_methods_is_saved_from_its_own_page(shipping_staff_client, shipping_rates):
    us = ShippingZone.objects.get(name="United States")
    url = f"/admin/shipping/shippingzone/{us.pk}/change/"
    form = page(shipping_staff_client.get(url))
    # what the browser sends back: the page's hidden inputs of the (read-only) methods inline, and the zone's fields
    hidden = dict(re.findall(r'<input type="hidden" name="(methods-[^"]+)" value="([^"]*)"', form))

    response = shipping_staff_client.post(url, {**zone_form(name="USA", countries="US"), **hidden})

    assert hidden["methods-INITIAL_FORMS"] == "2"
    assert response.status_code == 302, page(response)
    assert ShippingZone.objects.get(pk=us.pk).name == "USA" and us.methods.count() == 2


def test_a_flat_method_is_saved(shipping_staff_client, us_zone):
    response = shipping_staff_client.post("/admin/shipping/shippingmethod/add/",
                                          method_form(us_zone, free_shipping_threshold="75"))

    assert response.status_code == 302, page(response)
    method = ShippingMethod.objects.get(zone=us_zone, code="parcel")
    assert (method.price, method.free_shipping_threshold, method.transit_min_days, method.transit_max_days) == (
        Decimal("6.50"), Decimal("75.00"), 2, 4)


@pytest.mark.parametrize(("fields", "field", "message"), [
    (dict(transit_min_days="5", transit_max_days="3"), "transit_max_days",
     "Must be at least the minimum (5 business days)."),
    (dict(price="-0.01"), "price", "Ensure this value is greater than or equal to 0."),
    (dict(free_shipping_threshold="-5"), "free_shipping_threshold", "Ensure this value is greater than or equal to 0."),
    (dict(price=""), "price", "A flat-priced method needs a price (0.00 for free shipping)."),
    (dict(transit_min_days="-1"), "transit_min_days", "Ensure this value is greater than or equal to 0."),
    (dict(code="Next Day!"), "code", "Enter a valid “slug”"),
])
def test_a_method_with_bad_fields_is_refused(shipping_staff_client, us_zone, fields, field, message):
    response = shipping_staff_client.post("/admin/shipping/shippingmethod/add/", method_form(us_zone, **fields))

    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors[field])
    assert message in page(response)
    assert not ShippingMethod.objects.exists()


def test_a_method_code_is_unique_within_its_zone_only(shipping_staff_client, us_zone):
    other_zone = ShippingZoneFactory(name="Canada", countries=["CA"])
    assert shipping_staff_client.post("/admin/shipping/shippingmethod/add/", method_form(us_zone)).status_code == 302

    again = shipping_staff_client.post("/admin/shipping/shippingmethod/add/", method_form(us_zone))
    elsewhere = shipping_staff_client.post("/admin/shipping/shippingmethod/add/", method_form(other_zone))

    assert "This zone already has a method with this code." in page(again)
    assert elsewhere.status_code == 302
    assert ShippingMethod.objects.filter(code="parcel").count() == 2


WEIGHT_BANDS = [("0", "1000", "4.50"), ("1000", "5000", "9.00"), ("5000", "", "19.00")]


def test_a_weight_banded_method_is_saved_with_its_bands(shipping_staff_client, us_zone):
    response = shipping_staff_client.post("/admin/shipping/shippingmethod/add/",
                                          method_form(us_zone, pricing="weight", price="", bands=WEIGHT_BANDS))

    assert response.status_code == 302, page(response)
    bands = ShippingRateBand.objects.filter(method__code="parcel").order_by("min_value")
    assert [(band.min_value, band.max_value, band.price) for band in bands] == [
        (Decimal("0"), Decimal("1000"), Decimal("4.50")), (Decimal("1000"), Decimal("5000"), Decimal("9.00")),
        (Decimal("5000"), None, Decimal("19.00"))]


@pytest.mark.parametrize(("pricing", "bands", "message"), [
    ("weight", [("0", "1000", "4.50"), ("999", "2000", "9.00")], "Bands 0–1000 and 999–2000 overlap"),
    ("subtotal", [("0", "", "4.50"), ("50", "100", "0.00")], "Bands 0–∞ and 50–100 overlap"),
    ("weight", [], "A method priced by weight needs at least one rate band."),
    ("flat", [("0", "1000", "4.50")], "A flat-priced method takes no rate bands"),
    ("weight", [("1000", "1000", "4.50")], "Must be above the minimum (1000), or empty for no upper limit."),
    ("weight", [("0", "999.5", "4.50")], "Weight bands are in whole grams."),
    ("subtotal", [("0", "", "-1")], "Ensure this value is greater than or equal to 0."),
    ("subtotal", [("-10", "", "1")], "Ensure this value is greater than or equal to 0."),
])
def test_invalid_bands_are_refused(shipping_staff_client, us_zone, pricing, bands, message):
    response = shipping_staff_client.post("/admin/shipping/shippingmethod/add/",
                                          method_form(us_zone, pricing=pricing, bands=bands))

    assert response.status_code == 200
    assert message in page(response)
    assert not ShippingMethod.objects.exists() and not ShippingRateBand.objects.exists()


def test_a_deleted_band_no_longer_overlaps(shipping_staff_client, us_zone):
    shipping_staff_client.post("/admin/shipping/shippingmethod/add/",
                               method_form(us_zone, pricing="weight", price="", bands=WEIGHT_BANDS))
    method = ShippingMethod.objects.get(code="parcel")
    existing = list(method.bands.order_by("min_value"))
    data = method_form(us_zone, pricing="weight", price="", bands=[
        (str(band.min_value), "" if band.max_value is None else str(band.max_value), str(band.price))
        for band in existing] + [("4000", "6000", "12.00")])
    data["bands-INITIAL_FORMS"] = str(len(existing))
    for index, band in enumerate(existing):
        data.update({f"bands-{index}-id": band.pk, f"bands-{index}-method": method.pk})
    url = f"/admin/shipping/shippingmethod/{method.pk}/change/"

    refused = shipping_staff_client.post(url, data)
    data["bands-1-DELETE"] = data["bands-2-DELETE"] = "on"
    accepted = shipping_staff_client.post(url, data)

    assert "Bands 1000–5000 and 4000–6000 overlap" in page(refused)
    assert accepted.status_code == 302, page(accepted)
    assert [(band.min_value, band.max_value) for band in method.bands.order_by("min_value")] == [
        (Decimal("0"), Decimal("1000")), (Decimal("4000"), Decimal("6000"))]
