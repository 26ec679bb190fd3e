"""PagerDuty Events API v2 client."""
