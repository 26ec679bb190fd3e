"""Shipping address rules: every address needs line1, city, state, zip and country; US addresses
must use a USPS state code and a 5-digit ZIP (or ZIP+4)."""
import re

US_STATE_CODES = frozenset([
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
    "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK",
    "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "AS", "GU", "MP",
    "PR", "VI", "AA", "AE", "AP",
])
US_ZIP_RE = re.compile(r"^\d{5}(-\d{4})?\Z")  # \Z: "$" would let "62704\n" through
COUNTRY_RE = re.compile(r"^[A-Z]{2}\Z")
# What the API's country fields accept: two letters in either case (upper-cased before COUNTRY_RE).
COUNTRY_INPUT_PATTERN = "^[A-Za-z]{2}$"



def us_address_schema_rules() -> list[dict]:
    """`us_address_errors` as OpenAPI `oneOf` branches of an address object: a US address (country `US` in any
    case) needs a USPS state code and a ZIP; any other country neither."""
    us = ["US", "us", "Us", "uS"]
    return [
        {"properties": {"country": {"not": {"enum": us}}}},
        {"properties": {"country": {"enum": us}, "state": {"enum": sorted(US_STATE_CODES)},
                        "zip": {"pattern": "^[0-9]{5}(-[0-9]{4})?$"}},
         "required": ["country", "state", "zip"]},
    ]


ADDRESS_CONSTRAINT = "Object with line1, city, state, zip, country required"
COUNTRY_CONSTRAINT = "ISO 3166-1 alpha-2 country code, e.g. US"
US_STATE_CONSTRAINT = "Two-letter USPS state code, e.g. IL"
US_ZIP_CONSTRAINT = "US ZIP code: 5 digits or ZIP+4 (62704 or 62704-1234)"


def us_address_errors(*, state: str, zip_code: str) -> dict[str, str]:
    """Field → message for a US address's state and ZIP (empty when both are valid)."""
    errors = {}
    if state.upper() not in US_STATE_CODES:
        errors["state"] = f"'{state}' is not a US state code"
    if not US_ZIP_RE.match(zip_code):
        errors["zip"] = f"'{zip_code}' is not a valid US ZIP code"
    return errors
