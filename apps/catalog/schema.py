"""OpenAPI description of the merchant Bearer token (drf-spectacular finds it on import)."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .services import TOKEN_PREFIX


class MerchantTokenScheme(OpenApiAuthenticationExtension):
    target_class = "apps.catalog.auth.MerchantTokenAuthentication"
    name = "merchantToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": f"{TOKEN_PREFIX}<43 URL-safe characters>",
            "description": "Merchant API token from `python manage.py issue_token --merchant SLUG` (starts `vnt_`).",
        }
