"""The catalog app's interface for other apps: products as `ProductInfo` values, never models or
querysets (`product_price_facts` is an expression of the catalog's own query, for reading prices with
another app's rows in one query). The merchant API's principal and permission (`apps.core.merchant_access`)
and the merchant portal (`apps.core.merchant_portal`) need no catalog data and live in core."""
from .selectors import (
    ProductInfo,
    category_has_products,
    category_product_merchants,
    merchant_product_ids,
    product_image_path,
    product_info,
    product_info_list,
    product_info_many,
    product_price_facts,
)

__all__ = ["ProductInfo", "category_has_products", "category_product_merchants", "merchant_product_ids", "product_info",
           "product_info_list",
           "product_image_path", "product_info_many", "product_price_facts"]
