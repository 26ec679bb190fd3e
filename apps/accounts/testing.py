"""Test support of the accounts app: a signed-up customer whose email is verified (what every page that
shows a customer's orders requires)."""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model


def verified_user(email: str, *, password: str | None = None):
    """A customer account whose email address is verified, as after following the emailed link."""
    user = get_user_model().objects.create_user(username=email, email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user
