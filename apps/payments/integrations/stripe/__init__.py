"""Stripe, isolated: the SDK client setup, error classification and object → label helpers."""
