"""API routes of the inventory app, mounted under /api/ by vantage/urls.py."""
from django.urls import path

from .views_alerts import AlertListApi, WebhookDeliveryListApi, WebhookEndpointApi, WebhookTestApi
from .views_stock import StockAdjustmentApi, StockApi
from .views_thresholds import ThresholdBulkApi, ThresholdCollectionApi, ThresholdDetailApi

urlpatterns = [
    path("v1/inventory/thresholds", ThresholdCollectionApi.as_view(), name="inventory-thresholds"),
    path("v1/inventory/thresholds/bulk", ThresholdBulkApi.as_view(), name="inventory-thresholds-bulk"),
    path("v1/inventory/thresholds/<str:threshold_id>", ThresholdDetailApi.as_view(), name="inventory-threshold"),
    path("v1/inventory/stock/<str:product_id>", StockApi.as_view(), name="inventory-stock"),
    path("v1/inventory/stock/<str:product_id>/adjustments", StockAdjustmentApi.as_view(),
         name="inventory-stock-adjustments"),
    path("v1/inventory/alerts", AlertListApi.as_view(), name="inventory-alerts"),
    path("v1/inventory/webhook-endpoint", WebhookEndpointApi.as_view(), name="inventory-webhook-endpoint"),
    path("v1/inventory/webhook-endpoint/test", WebhookTestApi.as_view(), name="inventory-webhook-test"),
    path("v1/inventory/webhook-deliveries", WebhookDeliveryListApi.as_view(), name="inventory-webhook-deliveries"),
]
