"""API routes of the payments app, mounted under /api/ by vantage/urls.py."""
from django.urls import path

from .views_intents import IntentConfirmApi, IntentCreateApi
from .views_saved_cards import (
    DefaultShippingAddressApi,
    PaymentMethodDefaultApi,
    PaymentMethodListCreateApi,
    PaymentMethodRemoveApi,
)

urlpatterns = [
    path("v1/intents/create", IntentCreateApi.as_view(), name="intent-create"),
    path("v1/intents/confirm", IntentConfirmApi.as_view(), name="intent-confirm"),
    path("v1/payment-methods", PaymentMethodListCreateApi.as_view(), name="payment-methods"),
    path("v1/payment-methods/<str:payment_method_id>/default", PaymentMethodDefaultApi.as_view(),
         name="payment-method-default"),
    path("v1/payment-methods/<str:payment_method_id>", PaymentMethodRemoveApi.as_view(), name="payment-method"),
    path("v1/addresses/default", DefaultShippingAddressApi.as_view(), name="default-shipping-address"),
]
