"""Tax quotes: validate the caller's lines, find the destination's jurisdiction, ask the configured provider."""
import re
from decimal import Decimal

from ..errors import TaxRequestInvalid
from ..interface import TAX_CATEGORIES, TaxableLine, TaxQuote, TaxRequest
from ..providers.base import get_tax_provider
from ..selectors import tax_rate_for_destination


def tax_request_build(*, country: str, state: str, zip_code: str, lines: list[TaxableLine],
                      shipping_amount: Decimal, currency: str) -> TaxRequest:
    """The call's input normalised (upper-case codes, trimmed ZIP) or `TaxRequestInvalid` saying what is wrong."""
    country, state, zip_code = (country or "").strip().upper(), (state or "").strip().upper(), (zip_code or "").strip()
    currency = (currency or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise TaxRequestInvalid(f"country must be a two-letter ISO code, not {country!r}.")
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise TaxRequestInvalid(f"currency must be a three-letter ISO code, not {currency!r}.")
    references = [line.reference for line in lines]
    if len(set(references)) != len(references):
        raise TaxRequestInvalid("Each line needs its own reference (e.g. the product id); merge repeated products.")
    for line in lines:
        if line.tax_category not in TAX_CATEGORIES:
            raise TaxRequestInvalid(f"Line {line.reference!r}: tax_category must be one of "
                                    f"{', '.join(TAX_CATEGORIES)}, not {line.tax_category!r}.")
        if not isinstance(line.amount, Decimal) or not line.amount.is_finite() or line.amount < 0:
            raise TaxRequestInvalid(f"Line {line.reference!r}: amount must be a Decimal of at least 0.")
        if line.quantity < 1:
            raise TaxRequestInvalid(f"Line {line.reference!r}: quantity must be at least 1.")
    if not isinstance(shipping_amount, Decimal) or not shipping_amount.is_finite() or shipping_amount < 0:
        raise TaxRequestInvalid("shipping_amount must be a Decimal of at least 0.")
    return TaxRequest(country=country, state=state, zip_code=zip_code, lines=tuple(lines),
                      shipping_amount=shipping_amount, currency=currency)


def tax_quote_calculate(*, country: str, state: str, zip_code: str, lines: list[TaxableLine],
                        shipping_amount: Decimal, currency: str) -> TaxQuote:
    request = tax_request_build(country=country, state=state, zip_code=zip_code, lines=lines,
                                shipping_amount=shipping_amount, currency=currency)
    jurisdiction = tax_rate_for_destination(country=request.country, state=request.state, zip_code=request.zip_code)
    return get_tax_provider().calculate(request, jurisdiction)
