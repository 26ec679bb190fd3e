"""The experiments app's REST API."""
