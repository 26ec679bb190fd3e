"""Page routes of the experiments app, mounted at / by vantage/urls.py: the /ops/ dashboards."""
from django.urls import path

from . import views

app_name = "experiments"

urlpatterns = [
    path("ops/payment-methods/", views.payment_methods_dashboard, name="payment-methods"),
    path("ops/guest-checkout/", views.guest_checkout_monitoring, name="guest-checkout"),
    path("ops/experiments/", views.experiments_index, name="experiment-list"),
    path("ops/experiments/<str:key>/", views.experiment_detail, name="experiment-detail"),
    path("ops/experiments/<str:key>/conclude", views.experiment_conclude_view, name="experiment-conclude"),
]
