"""OpenAPI description of the merchant Bearer token for the merchant returns endpoint (the
catalog's authenticator has no extension of its own). Referenced by dotted path: no import of
the catalog's internals; if another app registers the same scheme, the higher priority wins."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class MerchantBearerScheme(OpenApiAuthenticationExtension):
    target_class = "apps.catalog.auth.MerchantTokenAuthentication"
    name = "merchantBearer"
    priority = -2

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "Merchant API token from `python manage.py issue_token --merchant <slug>`."}
