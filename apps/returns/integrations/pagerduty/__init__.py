"""PagerDuty Events API v2 (ops alerts of the returns app)."""
