"""How django-allauth fits this shop: the email is the username, and the client is the one the API rate
limits and the sign-in lockouts see (`apps.core.client_ip`, which trusts TRUSTED_PROXY_COUNT hops)."""
from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError

from apps.core.client_ip import client_ip

USERNAME_MAX_LENGTH = 150  # the email becomes the username, whose column is this long


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user) -> None:
        user.email = user.email.strip().lower()
        user.username = user.email

    def get_client_ip(self, request) -> str:
        return client_ip(request)

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if len(email) > USERNAME_MAX_LENGTH:
            raise ValidationError(f"Use an email address of at most {USERNAME_MAX_LENGTH} characters.")
        return email
