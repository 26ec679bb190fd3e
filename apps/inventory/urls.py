"""Page routes of the inventory app, mounted at / by vantage/urls.py."""
from django.urls import path

from .views import ops_inventory_panel

urlpatterns = [
    path("ops/inventory/", ops_inventory_panel, name="ops-inventory"),
]
