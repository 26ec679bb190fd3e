"""Inventory error codes."""
from apps.core.errors import ApplicationError


class OutOfStock(ApplicationError):
    status_code = 409
    code = "OUT_OF_STOCK"
    message = "Not enough stock for some items. Reduce their quantity or remove them."


class ProductNotFound(ApplicationError):
    status_code = 404
    code = "PRODUCT_NOT_FOUND"
    message = "No product with this id exists in your catalog. Check the product_id."


class ThresholdNotFound(ApplicationError):
    status_code = 404
    code = "THRESHOLD_NOT_FOUND"
    message = "No threshold with this id exists for your products. List them with GET /api/v1/inventory/thresholds."


class ThresholdExists(ApplicationError):
    status_code = 409
    code = "THRESHOLD_EXISTS"
    message = "This product already has its own threshold. Change it with PATCH /api/v1/inventory/thresholds/{id}."
