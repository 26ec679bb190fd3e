"""Stripe Tax: calculations for quotes, transactions for paid orders (through payments' Stripe client)."""
