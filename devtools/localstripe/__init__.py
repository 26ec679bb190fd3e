"""A small Stripe-compatible HTTP server for `make run` and the test suite (never used in production).

`python -m devtools.localstripe.server --port 12111` serves the subset of Stripe's API this
project calls, in Stripe's JSON shapes, plus `/_control/*` endpoints to inject failures, count
calls and deliver webhooks signed exactly as Stripe signs them.
"""
