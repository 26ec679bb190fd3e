"""Payments writes: the Stripe gateway, charges and refunds, intents, webhooks, saved cards."""
