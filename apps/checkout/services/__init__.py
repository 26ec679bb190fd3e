"""Writes of the checkout app, one module per entity: carts, guest sessions, orders (the guest
checkout), abandonment."""
