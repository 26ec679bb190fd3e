"""Merchant webhooks: URL safety rules, the signature scheme and the HTTP sender."""
