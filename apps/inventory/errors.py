"""Inventory error codes."""
from apps.core.errors import Conflict, NotFound


class OutOfStock(Conflict):
    code = "OUT_OF_STOCK"
    message = "Not enough stock for some items. Reduce their quantity or remove them."


class ProductNotFound(NotFound):
    code = "PRODUCT_NOT_FOUND"
    message = "No product with this id exists in your catalog. Check the product_id."


class ThresholdNotFound(NotFound):
    code = "THRESHOLD_NOT_FOUND"
    message = "No threshold with this id exists for your products. List them with GET /api/v1/inventory/thresholds."


class ThresholdExists(Conflict):
    code = "THRESHOLD_EXISTS"
    message = "This product already has its own threshold. Change it with PATCH /api/v1/inventory/thresholds/{id}."
