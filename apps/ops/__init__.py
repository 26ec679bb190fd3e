"""Ops app: the staff pages under /ops/ (index, low-stock panel, payment-method and guest-checkout
dashboards, experiment results), composed from the domains' public selectors; it owns no data."""
