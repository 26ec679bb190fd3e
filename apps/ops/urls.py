"""Routes of the staff pages, mounted at /ops/ by vantage/urls.py."""
from django.urls import path

from . import views

app_name = "ops"

urlpatterns = [
    path("", views.ops_index, name="index"),
    path("inventory/", views.inventory_panel, name="inventory"),
    path("payment-methods/", views.payment_methods_dashboard, name="payment-methods"),
    path("guest-checkout/", views.guest_checkout_monitoring, name="guest-checkout"),
    path("experiments/", views.experiments_index, name="experiment-list"),
    path("experiments/<str:key>/", views.experiment_detail, name="experiment-detail"),
    path("experiments/<str:key>/conclude", views.experiment_conclude_view, name="experiment-conclude"),
]
