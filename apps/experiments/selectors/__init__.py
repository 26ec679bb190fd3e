"""Reads of the experiments app: dashboards' aggregates and experiment results."""
