"""How django-allauth fits this shop: the email is the username, the client is the one the API rate
limits and the sign-in lockouts see (`apps.core.client_ip`, which trusts TRUSTED_PROXY_COUNT hops), and
account emails (verification, password reset, …) go through the shop's email pipeline: recorded as an
`EmailDelivery`, rendered from `templates/emails/`, sent after commit by the Celery task with retries."""
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError

from apps.checkout.public import (
    ACCOUNT_ALREADY_EXISTS,
    ACCOUNT_EMAIL_CONFIRMATION,
    ACCOUNT_NOTICE,
    ACCOUNT_PASSWORD_RESET,
    ACCOUNT_UNKNOWN,
    shopper_email_queue,
)
from apps.core.client_ip import client_ip

USERNAME_MAX_LENGTH = 150  # the email becomes the username, whose column is this long

# allauth's message (the last part of its template prefix) → the shop's email template
ACCOUNT_EMAILS = {
    "email_confirmation_signup": ACCOUNT_EMAIL_CONFIRMATION,
    "email_confirmation": ACCOUNT_EMAIL_CONFIRMATION,
    "password_reset_key": ACCOUNT_PASSWORD_RESET,
    "unknown_account": ACCOUNT_UNKNOWN,
    "account_already_exists": ACCOUNT_ALREADY_EXISTS,
}
# what of allauth's context those templates show (absolute links it built from the request)
LINKS = ("activate_url", "password_reset_url", "signup_url")


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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        template = ACCOUNT_EMAILS.get(template_prefix.rsplit("/", 1)[-1])
        if template is not None and "code" not in context:  # the shop's templates send links, not codes
            shopper_email_queue(to=email, template=template,
                                context={key: str(context[key]) for key in LINKS if context.get(key)})
            return
        # a message the shop has no template of its own for (allauth adds some over time, e.g. a
        # notification when enabled, or codes instead of links): allauth renders it, the pipeline
        # records and sends it
        request = allauth_context.request
        message = self.render_mail(template_prefix, email, {
            "request": request, "email": email, "current_site": get_current_site(request), **context})
        shopper_email_queue(to=email, template=ACCOUNT_NOTICE,
                            context={"subject": message.subject, "body": message.body})
