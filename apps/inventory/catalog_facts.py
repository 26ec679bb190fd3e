"""What the inventory app reads about products, through the catalog's public selectors only."""
from dataclasses import dataclass

from apps.catalog.public import product_get, product_list


@dataclass(frozen=True)
class ProductFacts:
    product_id: str
    sku: str
    name: str
    merchant_id: int
    category_slug: str
    category_name: str
    supplier_name: str
    supplier_lead_time_days: int | None
    active: bool


def _facts(product) -> ProductFacts:
    supplier = product.supplier
    return ProductFacts(
        product_id=product.id, sku=product.sku, name=product.name, merchant_id=product.merchant_id,
        category_slug=product.category.slug, category_name=product.category.name,
        supplier_name=supplier.name if supplier else "",
        supplier_lead_time_days=supplier.typical_lead_time_days if supplier else None, active=product.active,
    )


def product_facts(*, product_id: str, merchant_id: int | None = None) -> ProductFacts | None:
    """The product as the caller may see it (None when unknown or another merchant's)."""
    product = product_get(product_id=product_id, merchant_id=merchant_id)
    return _facts(product) if product else None


def product_facts_many(*, product_ids) -> dict[str, ProductFacts]:
    return {p.id: _facts(p) for p in product_list(active_only=False).filter(id__in=list(product_ids))}


def category_products(*, category_slug: str, merchant_id: int | None = None):
    """A lazy queryset of a category's products (the caller narrows it further and takes values)."""
    return product_list(merchant_id=merchant_id, active_only=False).filter(category__slug=category_slug)


def category_exists(*, category_slug: str) -> bool:
    return product_list(active_only=False).filter(category__slug=category_slug).exists()
