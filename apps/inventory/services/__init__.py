"""Writes of the inventory app (HackSoft style: `<entity>_<action>(*, ...)`), one module per concern."""
from .stock import (
    StockLine,
    sale_record,
    stock_adjust,
    stock_level_ensure,
    stock_movement_record,
    stock_release,
    stock_reserve,
    stock_return,
    stock_set,
)

__all__ = ["StockLine", "sale_record", "stock_adjust", "stock_level_ensure", "stock_movement_record",
           "stock_release", "stock_reserve", "stock_return", "stock_set"]
