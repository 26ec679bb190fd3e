"""Reads of the catalog app. Other apps get products as `ProductInfo` values (through public.py);
the querysets stay inside the catalog."""
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast, JSONObject

from .images import illustration_path
from .models import Category, Merchant, Product


@dataclass(frozen=True)
class ProductInfo:
    """A product as other apps see it: its own fields plus its category's and supplier's."""

    product_id: str
    sku: str
    name: str
    price: Decimal
    currency: str
    weight_grams: int
    tax_category: str  # "standard" | "reduced" | "exempt"
    active: bool
    merchant_id: int
    category_slug: str
    category_name: str
    supplier_name: str
    supplier_lead_time_days: int | None
    image_path: str = ""  # the product's picture, a static path (Product.image_path)


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


def _info(product: Product) -> ProductInfo:
    supplier = product.supplier
    return ProductInfo(
        product_id=product.id, sku=product.sku, name=product.name, price=product.price, currency=product.currency,
        weight_grams=product.weight_grams,
        tax_category=product.tax_category,
        active=product.active, merchant_id=product.merchant_id, category_slug=product.category.slug,
        category_name=product.category.name, supplier_name=supplier.name if supplier else "",
        supplier_lead_time_days=supplier.typical_lead_time_days if supplier else None,
        image_path=product.image_path,
    )


def product_info(*, product_id: str, merchant_id: int | None = None) -> ProductInfo | None:
    """The product as the caller may see it (None when unknown or another merchant's), active or not."""
    product = product_get(product_id=product_id, merchant_id=merchant_id)
    return _info(product) if product else None


def product_info_many(*, product_ids) -> dict[str, ProductInfo]:
    """The known ones of `product_ids` (active or not), by id, in one query."""
    return {p.id: _info(p) for p in product_list(active_only=False).filter(id__in=list(product_ids))}


def product_price_facts(*, product_id: OuterRef) -> Subquery:
    """The price facts of the product `product_id` names (`{"sku", "name", "price", "active", "weight_grams",
    "tax_category", "category_slug"}`, the price as a decimal string; null for an unknown id), as an expression
    another app puts in its own query: a cart is read with its items, their prices and what shipping and tax
    need in one query. The query itself stays written here."""
    facts = JSONObject(sku="sku", name="name", price=Cast("price", CharField()), active="active",
                       weight_grams="weight_grams", tax_category="tax_category", category_slug="category__slug")
    return Subquery(Product.objects.filter(id=product_id).values(facts=facts)[:1])


def product_info_list(*, merchant_id: int | None = None, category_slug: str | None = None,
                      active_only: bool = True) -> list[ProductInfo]:
    """Products (a merchant's, a category's, or all), ordered by id."""
    products = product_list(merchant_id=merchant_id, active_only=active_only)
    if category_slug is not None:
        products = products.filter(category__slug=category_slug)
    return [_info(p) for p in products.order_by("id")]


def category_product_merchants(*, category_slug: str, merchant_id: int | None = None) -> dict[str, int]:
    """Product id → merchant id of every product in the category (active or not; one merchant's, or
    all): two columns only, so a category of 100,000 products stays cheap to read."""
    products = Product.objects.filter(category__slug=category_slug)
    if merchant_id is not None:
        products = products.filter(merchant_id=merchant_id)
    return dict(products.values_list("id", "merchant_id").iterator(chunk_size=5000))


def merchant_product_ids(*, merchant_id: int) -> list[str]:
    """Ids of every product of the merchant, active or not (what its order lines may name)."""
    return list(Product.objects.filter(merchant_id=merchant_id).values_list("id", flat=True))


def category_has_products(*, category_slug: str) -> bool:
    """Whether any product, active or not, is in the category."""
    return Product.objects.filter(category__slug=category_slug).exists()


def merchant_get_by_slug(*, slug: str) -> Merchant | None:
    return Merchant.objects.filter(slug=slug).first()


def category_list() -> QuerySet[Category]:
    return Category.objects.order_by("name")


def product_image_path(*, category_slug: str) -> str:
    """The picture of a product of this category (a static path), for callers holding price facts. Pages
    show it with `{% load product_images %}{% product_image path "<layout>" %}` (its WebP renditions)."""
    return illustration_path(category_slug)
