"""Stripe Tax product tax codes for the catalog's tax categories (https://stripe.com/docs/tax/tax-categories)."""

TAX_CODES = {
    "standard": "txcd_99999999",  # General - Tangible Goods
    "reduced": "txcd_40060003",  # Food and Beverage - Food for home consumption (reduced or zero rated)
    "exempt": "txcd_00000000",  # Nontaxable
}
SHIPPING_TAX_CODE = "txcd_92010001"  # Shipping
