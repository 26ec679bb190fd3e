"""Admin registrations of the checkout app: the merchant portal's Orders page."""
from . import admin_merchant  # noqa: F401 - registers the merchant portal's Orders page
