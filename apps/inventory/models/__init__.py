"""Inventory data: stock and sales (stock.py), thresholds (thresholds.py), alerts and their
delivery records (alerts.py, channels.py)."""
from .alerts import LowStockAlert, StockCheckRun
from .channels import DigestDelivery, DigestRecipient, PagerDutyEvent, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .stock import DailySales, StockLevel, StockMovement
from .thresholds import CategoryThresholdRule, InventoryThreshold

__all__ = [
    "DailySales", "StockLevel", "StockMovement", "InventoryThreshold", "CategoryThresholdRule", "LowStockAlert",
    "StockCheckRun", "WebhookEndpoint", "WebhookDelivery", "WebhookAttempt", "PagerDutyEvent", "DigestRecipient",
    "DigestDelivery",
]
