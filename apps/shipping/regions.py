"""Codes a zone may hold: ISO 3166-1 alpha-2 countries and ISO 4217 currencies (from Babel's CLDR data, which
the project already ships for money formatting), and the US's state codes (states, DC, territories, military)."""
from functools import cache

from babel import Locale
from babel.numbers import list_currencies

# CLDR codes that are no country a parcel can go to.
NOT_A_COUNTRY = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
US_STATES = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
    "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK",
    "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
    "DC", "PR", "VI", "GU", "AS", "MP", "AA", "AE", "AP",
})


@cache
def country_codes() -> frozenset[str]:
    return frozenset(code for code in Locale.parse("en").territories
                     if len(code) == 2 and code.isalpha() and code not in NOT_A_COUNTRY)


def country_code_errors(codes: list[str]) -> list[str]:
    unknown = [code for code in codes if code not in country_codes()]
    return [f"Unknown country code(s): {', '.join(unknown)}. Use ISO 3166-1 alpha-2 codes such as US, CA, GB."] \
        if unknown else []


def state_code_errors(country: str, codes: list[str]) -> list[str]:
    """US states must be real US codes; other countries' regions only need to look like a code."""
    if country == "US":
        unknown = [code for code in codes if code not in US_STATES]
        return [f"Unknown US state code(s): {', '.join(unknown)}. Use USPS codes such as AK, HI, NY."] \
            if unknown else []
    malformed = [code for code in codes if not (len(code) <= 3 and code.isalnum())]
    return [f"Region codes are 1–3 letters or digits: {', '.join(malformed)}."] if malformed else []


def currency_code_errors(code: str) -> list[str]:
    return [] if code in list_currencies() else [f"Unknown currency {code!r}: use an ISO 4217 code such as USD."]
