"""PagerDuty Events API v2 (ops pages of the payments app: disputes)."""
