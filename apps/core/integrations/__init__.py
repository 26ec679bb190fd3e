"""Clients of third-party services that more than one app uses (one client per service)."""
