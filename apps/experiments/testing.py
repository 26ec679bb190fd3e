"""Test support of the experiments app: factories for flags and experiments (tests that care about
audit and caching create them through the services instead)."""
import factory

from .models import AnalyticsEvent, Experiment, Flag


class FlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flag

    key = factory.Sequence(lambda n: f"test_flag_{n}")
    enabled = True
    rollout_percentage = 100


class ExperimentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Experiment

    experiment_id = factory.Sequence(lambda n: f"EXP-TEST-{n:03d}")
    key = factory.Sequence(lambda n: f"test_experiment_{n}")
    name = factory.LazyAttribute(lambda experiment: experiment.key.replace("_", " "))
    status = Experiment.Status.RUNNING
    variants = factory.LazyFunction(lambda: [
        {"key": "control", "weight": 50, "flag_value": False},
        {"key": "variant_a", "weight": 25, "flag_value": "a"},
        {"key": "variant_b", "weight": 25, "flag_value": True},
    ])
    funnel_events = factory.LazyFunction(
        lambda: ["checkout_started", "shipping_completed", "payment_completed", "order_confirmed"])


def analytics_events(**lookups) -> list[AnalyticsEvent]:
    """The stored analytics events matching Django lookups (`properties__cart_id=…`), oldest first: what other
    apps' tests check their tracking against."""
    return list(AnalyticsEvent.objects.filter(**lookups).order_by("id"))
