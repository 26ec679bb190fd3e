"""Local stand-ins for third-party services (Stripe, EasyPost), used by `make run`, the tests,
the benchmarks and `make proof`. Never imported by `apps/` and not copied into the Docker image."""
