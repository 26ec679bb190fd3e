"""Experiments app: feature flags, experiments, analytics events and the numbers behind the staff dashboards."""
from django.apps import AppConfig


class ExperimentsConfig(AppConfig):
    name = "apps.experiments"
    label = "experiments"

    def seed_demo(self, stdout) -> None:
        from .demo import seed

        seed(stdout)
