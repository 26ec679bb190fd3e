"""The catalog app's interface for other apps: products as `ProductInfo` values, never models or
querysets. The merchant API's principal and permission (`apps.core.merchant_access`) and the merchant
portal (`apps.core.merchant_portal`) need no catalog data and live in core."""
from .selectors import (
    ProductInfo,
    category_has_products,
    category_product_merchants,
    merchant_product_ids,
    product_info,
    product_info_list,
    product_info_many,
)

__all__ = ["ProductInfo", "category_has_products", "category_product_merchants", "merchant_product_ids", "product_info",
           "product_info_list",
           "product_info_many"]
