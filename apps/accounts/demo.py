"""Demo data: the demo logins (made by the catalog's demo data) count as verified, so `merchant` /
`merchant` and `admin` / `admin` sign in on the shop's login page without a mailbox to click in."""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

DEMO_USERNAMES = ("admin", "merchant")


def seed(stdout) -> None:
    for user in get_user_model().objects.filter(username__in=DEMO_USERNAMES).exclude(email=""):
        EmailAddress.objects.update_or_create(user=user, email=user.email.lower(),
                                              defaults={"verified": True, "primary": True})
    stdout.write("accounts: demo logins verified")
