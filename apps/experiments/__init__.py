"""Experiments app: feature flags, experiments, analytics events and the /ops/ dashboards."""
