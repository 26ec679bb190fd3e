"""factory-boy factories for payments models."""
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from apps.core.ids import new_public_id
from apps.payments.models import Payment, PaymentStatus


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    order_id = factory.LazyFunction(lambda: new_public_id("ord"))
    intent_id = factory.Sequence(lambda n: f"pi_factory{n:06d}")
    status = PaymentStatus.CREATED
    amount = Decimal("67.25")
    currency = "USD"
    cart_id = factory.LazyFunction(lambda: new_public_id("cart"))
    confirmation_token = factory.LazyFunction(lambda: new_public_id("cnf"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"shopper{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("s3cret-pass")
