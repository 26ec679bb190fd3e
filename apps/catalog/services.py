"""Writes of the catalog app."""
import hashlib
import secrets

from django.db import transaction

from .models import Merchant, MerchantApiToken

TOKEN_PREFIX = "vnt_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def merchant_api_token_issue(*, merchant: Merchant, label: str = "") -> str:
    """Create a token and return it; only its hash is stored, so this is the one time it is seen."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    MerchantApiToken.objects.create(merchant=merchant, token_hash=token_hash(token), prefix=token[:10], label=label)
    return token
