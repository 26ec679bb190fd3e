"""The catalog app's interface for other apps."""
from .auth import MerchantPrincipal
from .merchant_site import MerchantScopedAdmin, merchant_id_for_user, merchant_site
from .permissions import IsMerchantOrOps, merchant_scope
from .selectors import product_get, product_list

__all__ = [
    "MerchantPrincipal", "MerchantScopedAdmin", "merchant_id_for_user", "merchant_site", "IsMerchantOrOps",
    "merchant_scope",
    "product_get", "product_list",
]
