"""API routes of the experiments app, mounted under /api/ by vantage/urls.py."""
from django.urls import path

from . import views

urlpatterns = [
    path("v1/flags/evaluate", views.FlagsEvaluateApi.as_view(), name="flags-evaluate"),
    path("v1/experiments/analyze", views.ExperimentAnalyzeApi.as_view(), name="experiments-analyze"),
    path("v1/analytics/experiments", views.ExperimentListApi.as_view(), name="analytics-experiments"),
    path("v1/analytics/experiments/<str:key>", views.ExperimentResultsApi.as_view(),
         name="analytics-experiment-results"),
    path("v1/analytics/payment-methods", views.PaymentMethodsApi.as_view(), name="analytics-payment-methods"),
    path("v1/analytics/guest-checkout", views.GuestCheckoutApi.as_view(), name="analytics-guest-checkout"),
]
