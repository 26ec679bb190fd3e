"""Experiments app: feature flags, experiments, analytics events and the numbers behind the staff dashboards."""
