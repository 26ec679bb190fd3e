"""Page routes of the payments app, mounted at / by vantage/urls.py."""
from django.urls import path

from .views import StripeGuestCheckoutWebhook, apple_pay_domain_association

urlpatterns = [
    path("webhooks/stripe/guest-checkout", StripeGuestCheckoutWebhook.as_view(), name="stripe-guest-webhook"),
    path(".well-known/apple-developer-merchantid-domain-association", apple_pay_domain_association,
         name="apple-pay-domain-association"),
]
