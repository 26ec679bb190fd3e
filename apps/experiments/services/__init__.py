"""Writes of the experiments app: flags (audited), experiments and exposures, analytics events."""
