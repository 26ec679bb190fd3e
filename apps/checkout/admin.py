"""Admin registrations of the checkout app: orders, carts and emails for ops (/admin/) and the
merchant portal's Orders page (/merchant/)."""
from . import admin_merchant, admin_ops  # noqa: F401 - the modules register themselves
