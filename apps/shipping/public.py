"""The shipping app's interface for other apps: destinations in, priced `ShippingOption` values out (never
models), and the business-day arithmetic behind the delivery windows."""
from .rules import business_days_after
from .selectors import Destination, ShippingOption, shipping_option, shipping_options

__all__ = ["Destination", "ShippingOption", "business_days_after", "shipping_option", "shipping_options"]
