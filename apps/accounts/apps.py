"""Accounts app: shopper sign up with email verification, sign in, password reset (django-allauth) and the
sign-in lockouts (django-axes) that guard every login form."""
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def seed_demo(self, stdout) -> None:
        from .demo import seed

        seed(stdout)
