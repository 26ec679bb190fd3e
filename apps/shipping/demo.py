"""Demo shipping rates: US Standard $5.99 (free from $50, 3–5 business days), US Express $14.99 (1–2 business
days), an International zone at a flat $24.99 (5–10 business days), and an Alaska & Hawaii zone (state-specific,
so it wins over the US zone there) priced by cart weight. Idempotent: zones by name, methods by (zone, code); a
banded method's bands are replaced by the demo's."""
from decimal import Decimal

from .services import shipping_method_save, shipping_zone_save

INTERNATIONAL_COUNTRIES = ["AU", "AT", "BE", "CA", "CH", "DE", "DK", "ES", "FR", "GB", "IE", "IT", "JP", "MX", "NL",
                           "NO", "NZ", "PT", "SE"]
ZONES = [
    ("United States", ["US"], [], [
        dict(code="standard", name="Standard", price=Decimal("5.99"), free_shipping_threshold=Decimal("50.00"),
             transit_min_days=3, transit_max_days=5, position=1),
        dict(code="express", name="Express", price=Decimal("14.99"), transit_min_days=1, transit_max_days=2,
             position=2),
    ]),
    ("Alaska & Hawaii", ["US"], ["AK", "HI"], [
        # up to 2 kg, up to 10 kg, heavier: a 32" monitor costs more to fly to Honolulu than a cable
        dict(code="standard", name="Standard", pricing="weight", transit_min_days=5, transit_max_days=8, position=1,
             bands=[(Decimal("0"), Decimal("2000"), Decimal("9.99")),
                    (Decimal("2000"), Decimal("10000"), Decimal("19.99")),
                    (Decimal("10000"), None, Decimal("39.99"))]),
    ]),
    ("International", INTERNATIONAL_COUNTRIES, [], [
        dict(code="international", name="International", price=Decimal("24.99"), transit_min_days=5,
             transit_max_days=10, position=1),
    ]),
]


def seed(stdout) -> None:
    for zone_name, countries, states, methods in ZONES:
        zone = shipping_zone_save(name=zone_name, countries=countries, states=states, currency="USD")
        for method in methods:
            shipping_method_save(zone=zone, **method)
    stdout.write(f"shipping: {len(ZONES)} zones, {sum(len(methods) for *_, methods in ZONES)} methods")
