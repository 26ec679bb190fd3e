"""The accounts app's interface for other apps.

`verified_email(user)` is the only way another app may learn which email address a signed-in user owns:
an account's email counts only after its owner followed the verification link sent to it. Orders, returns
and confirmation pages match a signed-in shopper by this address, so signing up with someone else's email
(or a guest order's) attaches nothing.
"""
from allauth.account import app_settings
from allauth.account.models import EmailAddress
from allauth.account.utils import complete_signup, setup_user_email
from django.contrib.auth import get_user_model
from django.http import HttpResponse


def verified_email(user) -> str:
    """The account's email, lower-cased, if its owner proved it by the emailed link; "" otherwise (and for
    anonymous visitors)."""
    if user is None or not user.is_authenticated or not user.email:
        return ""
    proven = EmailAddress.objects.filter(user_id=user.pk, email__iexact=user.email, verified=True).exists()
    return user.email.lower() if proven else ""


def account_signup_with_verification(request, *, email: str, password: str, redirect_url: str) -> HttpResponse:
    """Create a shopper account (the email is its username) the way the signup page does: the address
    stays unverified, the verification link is emailed, and the answer is allauth's "check your inbox"
    step. Following the link signs the shopper in and goes on to `redirect_url`."""
    email = email.strip().lower()
    user = get_user_model()(username=email, email=email)
    user.set_password(password)
    user.save()
    setup_user_email(request, user, [])
    return complete_signup(request, user, app_settings.EMAIL_VERIFICATION, redirect_url)
