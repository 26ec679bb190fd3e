"""How much of a product a shopper can buy, in the words the shop shows ("Only 3 left", "Out of stock").

Read from the inventory app's stock on hand (the same figure the cart checks and checkout reserves
against), for a page of products in one query.
"""
from dataclasses import dataclass

from apps.inventory.public import stock_on_hand

# At or below this the page says how many are left (as big shops do), so nobody is surprised in the cart.
LOW_STOCK_SHOWN_AT = 20


@dataclass(frozen=True)
class Availability:
    quantity: int

    @property
    def in_stock(self) -> bool:
        return self.quantity > 0

    @property
    def low(self) -> bool:
        return 0 < self.quantity <= LOW_STOCK_SHOWN_AT

    @property
    def label(self) -> str:
        if not self.in_stock:
            return "Out of stock"
        return f"Only {self.quantity} left" if self.low else "In stock"


def availability_for(*, product_ids: list[str]) -> dict[str, Availability]:
    return {pid: Availability(quantity) for pid, quantity in stock_on_hand(product_ids=product_ids).items()}
