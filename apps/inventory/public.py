"""The inventory app's interface for other apps: stock reservations, sales records and the staff
panel's list of products below threshold (dataclasses)."""
from .errors import OutOfStock
from .selectors import LowStockPanel, LowStockRow, low_stock_panel_get, stock_on_hand
from .services import StockLine, sale_record, stock_release, stock_reserve, stock_return, stock_set

__all__ = ["OutOfStock", "StockLine", "stock_on_hand", "stock_reserve", "stock_release", "sale_record", "stock_return",
           "stock_set", "LowStockPanel", "LowStockRow", "low_stock_panel_get"]
