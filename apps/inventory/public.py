"""The inventory app's interface for other apps: stock reservations and sales records."""
from .errors import OutOfStock
from .selectors import stock_on_hand
from .services import StockLine, sale_record, stock_release, stock_reserve, stock_return, stock_set

__all__ = ["OutOfStock", "StockLine", "stock_on_hand", "stock_reserve", "stock_release", "sale_record", "stock_return",
           "stock_set"]
