"""Reads of the catalog app."""
from django.db.models import QuerySet

from .models import Category, Merchant, Product


def product_list(*, merchant_id: int | None = None, active_only: bool = True) -> QuerySet[Product]:
    products = Product.objects.select_related("category", "merchant", "supplier")
    if merchant_id is not None:
        products = products.filter(merchant_id=merchant_id)
    return products.filter(active=True) if active_only else products


def product_browse(*, category_slug: str = "") -> QuerySet[Product]:
    """What the shop's product list shows: active products by name, optionally of one category."""
    products = product_list().order_by("name", "id")
    return products.filter(category__slug=category_slug) if category_slug else products


def product_featured(*, limit: int) -> list[Product]:
    """The home page's picks: the seeds' flagship products first, then the newest of the rest."""
    flagship = ["prod_monitor_32in", "prod_headphones_nc", "prod_cable_usbc"]
    products = product_list().select_related("category")
    first = list(products.filter(id__in=flagship))
    return first + list(products.exclude(id__in=flagship).order_by("-created_at", "id")[: max(limit - len(first), 0)])


def product_get(*, product_id: str, merchant_id: int | None = None) -> Product | None:
    return product_list(merchant_id=merchant_id, active_only=False).filter(id=product_id).first()


def merchant_get_by_slug(*, slug: str) -> Merchant | None:
    return Merchant.objects.filter(slug=slug).first()


def category_list() -> QuerySet[Category]:
    return Category.objects.order_by("name")
