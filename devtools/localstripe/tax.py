"""Stripe Tax on the local Stripe server: calculations, transactions and their reversals, with a fixed rate table.

Rates (percent; shipping taxed or not): US CA 7.25 (shipping untaxed), NY 4, TX 6.25, WA 6.5, DE 19 / 7 reduced,
FR 20 / 5.5 reduced; anywhere else Stripe is "not collecting" (0). Tax codes: `txcd_00000000` is nontaxable,
food and book codes (`txcd_4006…`, `txcd_3501…`) take the reduced rate (US: untaxed), anything else the
standard rate. Each line's tax is rounded half-up to the cent on its own: exclusive amount × rate, inclusive
amount − amount / (1 + rate). A US address without a 5-digit ZIP code cannot be located
(`customer_tax_location_invalid`), as on Stripe.

A transaction copies its calculation's line items (new `tax_li_…` ids). A reversal (`create_reversal`) is a
transaction of type "reversal" with negative amounts: `mode=full` reverses everything of a transaction not
reversed before; `mode=partial` reverses the given line items (`original_line_item`, negative `amount` and
`amount_tax`) and/or `shipping_cost`, never more than what is left of each; `mode=partial` with `flat_amount`
(negative cents, tax included: "the total amount to refund from the transaction, including taxes") spreads it
over what is left of the line items and shipping in proportion to their gross (largest remainder, so the parts
add up to the cent), each part split into amount and tax as that line's remainder is, and refuses more than
what is left in all. References are unique across transactions and reversals. Mixed into `Store`.
"""
import re
import time
from decimal import ROUND_HALF_UP, Decimal

from .objects import error, missing, new_id

# (country, state) → (standard %, reduced %, shipping taxed)
RATES = {
    ("US", "CA"): ("7.25", "0", False),
    ("US", "NY"): ("4", "0", True),
    ("US", "TX"): ("6.25", "0", True),
    ("US", "WA"): ("6.5", "0", True),
    ("DE", ""): ("19", "7", True),
    ("FR", ""): ("20", "5.5", True),
}
NONTAXABLE_CODE = "txcd_00000000"
REDUCED_CODE_PREFIXES = ("txcd_4006", "txcd_3501")
SHIPPING_CODE = "txcd_92010001"
EXPANDED_PAGE = 10  # an expanded `line_items` holds the first ten; the rest come from the list endpoint


def _int(value, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _tax(amount: int, percent: Decimal, inclusive: bool) -> int:
    if not percent or not amount:
        return 0
    rate = percent / 100
    exact = amount - amount / (1 + rate) if inclusive else amount * rate
    return int(Decimal(exact).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


class TaxCalculations:
    """Needs the Store's `tax_calculations`, `tax_transactions` and `tax_line_items` dicts."""

    def _jurisdiction(self, address: dict) -> tuple[str, str, tuple | None]:
        country = str(address.get("country") or "").upper()
        state = str(address.get("state") or "").upper() if country == "US" else ""
        return country, state, RATES.get((country, state))

    def _breakdown(self, amount: int, code: str, behavior: str, country: str, state: str, rates) -> tuple[int, list]:
        if rates is None:
            percent, reason = Decimal("0"), "not_collecting"
        elif code == NONTAXABLE_CODE:
            percent, reason = Decimal("0"), "product_exempt"
        elif code.startswith(REDUCED_CODE_PREFIXES):
            percent = Decimal(rates[1])
            reason = "reduced_rate" if percent else "product_exempt"
        elif code == SHIPPING_CODE and not rates[2]:
            percent, reason = Decimal("0"), "product_exempt"
        else:
            percent, reason = Decimal(rates[0]), "standard_rated"
        inclusive = behavior == "inclusive"
        tax = _tax(amount, percent, inclusive)
        tax_type = "vat" if country != "US" else "sales_tax"
        details = {"display_name": "VAT" if tax_type == "vat" else "Sales Tax",
                   "percentage_decimal": str(percent.normalize() if percent else Decimal("0.0")),
                   "tax_type": tax_type} if rates is not None else None
        return tax, [{
            "amount": tax, "jurisdiction": {"country": country, "display_name": state or country,
                                            "level": "state" if state else "country", "state": state or None},
            "sourcing": "destination", "tax_rate_details": details, "taxability_reason": reason,
            "taxable_amount": amount - tax if inclusive else amount,
        }]

    def tax_calculation_create(self, params: dict) -> tuple[int, dict]:
        currency = str(params.get("currency") or "").lower()
        if not re.fullmatch(r"[a-z]{3}", currency):
            return error(400, "invalid_request_error", "Missing required param: currency.", param="currency")
        address = (params.get("customer_details") or {}).get("address") or {}
        country, state, rates = self._jurisdiction(address)
        if not re.fullmatch(r"[A-Z]{2}", country):
            return error(400, "invalid_request_error", "customer_details[address][country] is required.",
                         param="customer_details[address][country]")
        if country == "US" and not re.fullmatch(r"\d{5}(-\d{4})?", str(address.get("postal_code") or "")):
            return error(400, "invalid_request_error", "We could not determine the customer's tax location from "
                         "the provided address.", code="customer_tax_location_invalid",
                         param="customer_details[address]")
        raw_items = params.get("line_items")
        if not isinstance(raw_items, list) or not raw_items:
            return error(400, "invalid_request_error", "Missing required param: line_items.", param="line_items")
        items = self._line_items_build(raw_items, country, state, rates)
        if isinstance(items, tuple):
            return items
        calculation_id = new_id("taxcalc")
        shipping = None
        if params.get("shipping_cost"):
            raw = params["shipping_cost"]
            amount, behavior = _int(raw.get("amount"), 0), raw.get("tax_behavior") or "exclusive"
            code = raw.get("tax_code") or SHIPPING_CODE
            tax, breakdown = self._breakdown(amount, code, behavior, country, state, rates)
            shipping = {"amount": amount, "amount_tax": tax, "shipping_rate": None, "tax_behavior": behavior,
                        "tax_breakdown": breakdown, "tax_code": code}
        taxed = [(item["amount_tax"], item["tax_behavior"], item) for item in items]
        if shipping:
            taxed.append((shipping["amount_tax"], shipping["tax_behavior"], shipping))
        exclusive = sum(tax for tax, behavior, _ in taxed if behavior == "exclusive")
        inclusive = sum(tax for tax, behavior, _ in taxed if behavior == "inclusive")
        now = int(time.time())
        calculation = {
            "id": calculation_id, "object": "tax.calculation",
            "amount_total": sum(item["amount"] for item in items) + (shipping["amount"] if shipping else 0) + exclusive,
            "currency": currency, "customer": params.get("customer"),
            "customer_details": {"address": {key: address.get(key) for key in (
                "city", "country", "line1", "line2", "postal_code", "state")},
                "address_source": (params.get("customer_details") or {}).get("address_source") or "shipping",
                "ip_address": None, "tax_ids": [], "taxability_override": "none"},
            "expires_at": now + 90 * 86400, "livemode": False, "line_items": None, "shipping_cost": shipping,
            "tax_amount_exclusive": exclusive, "tax_amount_inclusive": inclusive,
            "tax_breakdown": self._summary(taxed, country, state, rates), "tax_date": now,
        }
        self.tax_calculations[calculation_id] = calculation
        self.tax_line_items[calculation_id] = items
        body = dict(calculation)
        if "line_items" in (params.get("expand") or []):
            body["line_items"] = self._line_item_page(calculation_id, EXPANDED_PAGE, "")
        return 200, body

    def _line_items_build(self, raw_items: list, country: str, state: str, rates) -> list[dict] | tuple[int, dict]:
        """The taxed line items, or the error Stripe gives for the first bad one."""
        items, references = [], set()
        for index, raw in enumerate(raw_items):
            amount, reference = _int(raw.get("amount")), str(raw.get("reference") or "")
            behavior = raw.get("tax_behavior") or "exclusive"
            if amount is None or amount < 0:
                return error(400, "invalid_request_error", "Invalid integer: amount.",
                             param=f"line_items[{index}][amount]")
            if not reference or reference in references:
                return error(400, "invalid_request_error", "Each line item needs a unique reference.",
                             param=f"line_items[{index}][reference]")
            if behavior not in ("exclusive", "inclusive"):
                return error(400, "invalid_request_error", "tax_behavior must be exclusive or inclusive.",
                             param=f"line_items[{index}][tax_behavior]")
            references.add(reference)
            code = raw.get("tax_code") or "txcd_99999999"
            tax, breakdown = self._breakdown(amount, code, behavior, country, state, rates)
            items.append({"id": new_id("tax_li"), "object": "tax.calculation_line_item", "amount": amount,
                          "amount_tax": tax, "livemode": False, "product": raw.get("product"),
                          "quantity": _int(raw.get("quantity"), 1), "reference": reference,
                          "tax_behavior": behavior, "tax_breakdown": breakdown, "tax_code": code})
        return items

    def _summary(self, taxed: list, country: str, state: str, rates) -> list[dict]:
        """The calculation's `tax_breakdown`: one entry per rate and behavior."""
        groups: dict[tuple, dict] = {}
        for tax, behavior, item in taxed:
            part = item["tax_breakdown"][0]
            details = part["tax_rate_details"] or {"percentage_decimal": "0.0", "tax_type": "sales_tax"}
            key = (details["percentage_decimal"], behavior, part["taxability_reason"])
            group = groups.setdefault(key, {
                "amount": 0, "inclusive": behavior == "inclusive", "taxable_amount": 0,
                "taxability_reason": part["taxability_reason"],
                "tax_rate_details": {"country": country, "percentage_decimal": details["percentage_decimal"],
                                     "state": state or None, "tax_type": details["tax_type"]}})
            group["amount"] += tax
            group["taxable_amount"] += part["taxable_amount"]
        return list(groups.values())

    def _line_item_page(self, calculation_id: str, limit: int, starting_after: str) -> dict:
        items = self.tax_line_items[calculation_id]
        start = next((index + 1 for index, item in enumerate(items) if item["id"] == starting_after), 0)
        page = items[start:start + limit]
        return {"object": "list", "data": page, "has_more": start + limit < len(items),
                "url": f"/v1/tax/calculations/{calculation_id}/line_items"}

    def tax_calculation_line_items(self, calculation_id: str, params: dict) -> tuple[int, dict]:
        if calculation_id not in self.tax_calculations:
            return missing("tax.calculation", calculation_id)
        limit = min(max(_int(params.get("limit"), 10), 1), 100)
        return 200, self._line_item_page(calculation_id, limit, str(params.get("starting_after") or ""))

    def tax_transaction_create(self, params: dict) -> tuple[int, dict]:
        calculation = self.tax_calculations.get(str(params.get("calculation") or ""))
        if calculation is None:
            return missing("tax.calculation", str(params.get("calculation") or ""))
        reference = str(params.get("reference") or "")
        if not reference:
            return error(400, "invalid_request_error", "Missing required param: reference.", param="reference")
        if any(existing["reference"] == reference for existing in self.tax_transactions.values()):
            return error(400, "invalid_request_error", f"A transaction with reference '{reference}' already exists.",
                         param="reference")
        if calculation["expires_at"] < time.time():
            return error(400, "invalid_request_error", "This calculation has expired.", param="calculation")
        now = int(time.time())
        created = {
            "id": new_id("tax"), "object": "tax.transaction", "created": now, "currency": calculation["currency"],
            "customer": calculation["customer"], "customer_details": calculation["customer_details"],
            "line_items": None, "livemode": False, "metadata": params.get("metadata") or {}, "posted_at": now,
            "reference": reference, "reversal": None, "shipping_cost": calculation["shipping_cost"],
            "tax_date": calculation["tax_date"], "type": "transaction", "calculation": calculation["id"],
        }
        self.tax_transactions[created["id"]] = created
        self.tax_transaction_line_items[created["id"]] = [
            {**item, "id": new_id("tax_li"), "object": "tax.transaction_line_item", "metadata": {},
             "reversal": None, "type": "transaction"} for item in self.tax_line_items[calculation["id"]]]
        return 200, created

    def tax_transaction_line_items_list(self, transaction_id: str, params: dict) -> tuple[int, dict]:
        if transaction_id not in self.tax_transactions:
            return missing("tax.transaction", transaction_id)
        items = self.tax_transaction_line_items.get(transaction_id, [])
        limit = min(max(_int(params.get("limit"), 10), 1), 100)
        after = str(params.get("starting_after") or "")
        start = next((index + 1 for index, item in enumerate(items) if item["id"] == after), 0)
        return 200, {"object": "list", "data": items[start:start + limit], "has_more": start + limit < len(items),
                     "url": f"/v1/tax/transactions/{transaction_id}/line_items"}

    def _reversals_of(self, transaction_id: str) -> list[dict]:
        return [t for t in self.tax_transactions.values() if (t.get("reversal") or {}).get(
            "original_transaction") == transaction_id]

    def _left(self, original: dict) -> tuple[dict[str, list[int]], list[int]]:
        """What is not reversed yet: [amount, amount_tax] per original line item id, and of the shipping."""
        left = {item["id"]: [item["amount"], item["amount_tax"]]
                for item in self.tax_transaction_line_items.get(original["id"], [])}
        shipping = original.get("shipping_cost") or {}
        shipping_left = [shipping.get("amount", 0), shipping.get("amount_tax", 0)]
        for reversal in self._reversals_of(original["id"]):
            for item in self.tax_transaction_line_items.get(reversal["id"], []):
                pair = left[item["reversal"]["original_line_item"]]
                pair[0], pair[1] = pair[0] + item["amount"], pair[1] + item["amount_tax"]
            if reversal.get("shipping_cost"):
                shipping_left[0] += reversal["shipping_cost"]["amount"]
                shipping_left[1] += reversal["shipping_cost"]["amount_tax"]
        return left, shipping_left

    def tax_transaction_reversal_create(self, params: dict) -> tuple[int, dict]:
        mode, reference = params.get("mode"), str(params.get("reference") or "")
        if mode not in ("full", "partial"):
            return error(400, "invalid_request_error", "mode must be full or partial.", param="mode")
        original = self.tax_transactions.get(str(params.get("original_transaction") or ""))
        if original is None:
            return missing("tax.transaction", str(params.get("original_transaction") or ""))
        if original["type"] != "transaction":
            return error(400, "invalid_request_error", "A reversal cannot be reversed.", param="original_transaction")
        if not reference:
            return error(400, "invalid_request_error", "Missing required param: reference.", param="reference")
        if any(existing["reference"] == reference for existing in self.tax_transactions.values()):
            return error(400, "invalid_request_error", f"A transaction with reference '{reference}' already exists.",
                         param="reference")
        left, shipping_left = self._left(original)
        if mode == "full":
            if self._reversals_of(original["id"]):
                return error(400, "invalid_request_error", "This transaction has already been reversed in part: "
                             "reverse what is left with mode=partial.", param="mode")
            lines = [{"original_line_item": item["id"], "amount": -left[item["id"]][0],
                      "amount_tax": -left[item["id"]][1], "reference": item["reference"]}
                     for item in self.tax_transaction_line_items.get(original["id"], [])]
            shipping = {"amount": -shipping_left[0], "amount_tax": -shipping_left[1]} \
                if original.get("shipping_cost") else None
        elif params.get("flat_amount") is not None:
            checked = self._flat_lines(params, original, left, shipping_left)
            if checked[0] != 200:
                return checked
            lines, shipping = checked[1]
        else:
            checked = self._partial_lines(params, left, shipping_left)
            if checked[0] != 200:
                return checked
            lines, shipping = checked[1]
        originals = {item["id"]: item for item in self.tax_transaction_line_items.get(original["id"], [])}
        now = int(time.time())
        reversal = {
            "id": new_id("tax"), "object": "tax.transaction", "created": now, "currency": original["currency"],
            "customer": original["customer"], "customer_details": original["customer_details"], "line_items": None,
            "livemode": False, "metadata": params.get("metadata") or {}, "posted_at": now, "reference": reference,
            "reversal": {"original_transaction": original["id"]}, "tax_date": original["tax_date"],
            "type": "reversal", "shipping_cost": shipping and {**(original.get("shipping_cost") or {}), **shipping},
        }
        self.tax_transactions[reversal["id"]] = reversal
        self.tax_transaction_line_items[reversal["id"]] = [
            {**originals[line["original_line_item"]], "id": new_id("tax_li"), "object": "tax.transaction_line_item",
             "amount": line["amount"], "amount_tax": line["amount_tax"], "reference": line["reference"],
             "quantity": _int(line.get("quantity"), originals[line["original_line_item"]]["quantity"]),
             "metadata": {}, "reversal": {"original_line_item": line["original_line_item"]}, "type": "reversal"}
            for line in lines]
        return 200, reversal

    def _flat_lines(self, params: dict, original: dict, left: dict, shipping_left: list[int]) -> tuple[int, object]:
        """A flat reversal's line items and shipping: `flat_amount` spread over what is left, or Stripe's error."""
        flat = _int(params.get("flat_amount"))
        if params.get("line_items") or params.get("shipping_cost"):
            return error(400, "invalid_request_error", "flat_amount cannot be combined with line_items or "
                         "shipping_cost.", param="flat_amount")
        if flat is None or flat >= 0:
            return error(400, "invalid_request_error", "flat_amount must be a negative integer.", param="flat_amount")
        # (key, amount left, tax left, tax inclusive); key None is the shipping
        parts = [(item["id"], *left[item["id"]], item["tax_behavior"] == "inclusive")
                 for item in self.tax_transaction_line_items.get(original["id"], [])]
        if original.get("shipping_cost"):
            parts.append((None, *shipping_left, original["shipping_cost"].get("tax_behavior") == "inclusive"))
        gross = [amount if inclusive else amount + tax for _, amount, tax, inclusive in parts]
        total = sum(gross)
        if -flat > total:
            return error(400, "invalid_request_error", "The flat_amount exceeds what is left of the transaction.",
                         param="flat_amount")
        shares = [-flat * part // total for part in gross]
        by_remainder = sorted(range(len(parts)), key=lambda i: -(-flat * gross[i] % total))
        for index in by_remainder[:-flat - sum(shares)]:
            shares[index] += 1
        lines, shipping = [], None
        for (key, amount, tax, inclusive), part, share in zip(parts, gross, shares, strict=True):
            if not share:
                continue
            share_tax = min(int((Decimal(share) * tax / part).quantize(Decimal("1"), rounding=ROUND_HALF_UP)), tax)
            share_amount = min(share if inclusive else share - share_tax, amount)
            if key is None:
                shipping = {"amount": -share_amount, "amount_tax": -share_tax}
            else:
                reference = next(item["reference"] for item in self.tax_transaction_line_items[original["id"]]
                                 if item["id"] == key)
                lines.append({"original_line_item": key, "amount": -share_amount, "amount_tax": -share_tax,
                              "reference": reference})
        return 200, (lines, shipping)

    def _partial_lines(self, params: dict, left: dict, shipping_left: list[int]) -> tuple[int, object]:
        """The partial reversal's line items and shipping, or Stripe's error for the first bad one."""
        raw_lines, raw_shipping = params.get("line_items") or [], params.get("shipping_cost")
        if not raw_lines and not raw_shipping:
            return error(400, "invalid_request_error", "A partial reversal needs line_items or shipping_cost.",
                         param="line_items")
        lines, references = [], set()
        for index, raw in enumerate(raw_lines):
            item_id, reference = str(raw.get("original_line_item") or ""), str(raw.get("reference") or "")
            amount, tax = _int(raw.get("amount")), _int(raw.get("amount_tax"))
            if item_id not in left:
                return error(400, "invalid_request_error", f"No line item '{item_id}' in the original transaction.",
                             param=f"line_items[{index}][original_line_item]")
            if not reference or reference in references:
                return error(400, "invalid_request_error", "Each line item needs a unique reference.",
                             param=f"line_items[{index}][reference]")
            if amount is None or tax is None or amount > 0 or tax > 0:
                return error(400, "invalid_request_error", "Reversal amounts must be negative integers.",
                             param=f"line_items[{index}][amount]")
            if -amount > left[item_id][0] or -tax > left[item_id][1]:
                return error(400, "invalid_request_error", "The reversal exceeds what is left of the line item.",
                             param=f"line_items[{index}][amount]")
            references.add(reference)
            lines.append({**raw, "original_line_item": item_id, "amount": amount, "amount_tax": tax,
                          "reference": reference})
        shipping = None
        if raw_shipping:
            amount, tax = _int(raw_shipping.get("amount")), _int(raw_shipping.get("amount_tax"))
            if amount is None or tax is None or amount > 0 or tax > 0 or -amount > shipping_left[0] \
                    or -tax > shipping_left[1]:
                return error(400, "invalid_request_error", "Invalid shipping_cost reversal.", param="shipping_cost")
            shipping = {"amount": amount, "amount_tax": tax}
        return 200, (lines, shipping)
