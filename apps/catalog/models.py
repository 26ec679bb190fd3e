"""Catalog data: merchants (and their API tokens), categories, suppliers, products."""
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from apps.core.ids import new_public_id

from .images import illustration_path


def new_product_id() -> str:
    return new_public_id("prod")


class Merchant(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class MerchantMembership(models.Model):
    """Links a portal user to the one merchant whose objects they may see."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="merchant_membership")
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.merchant}"


class MerchantApiToken(models.Model):
    """A Bearer token for the merchant API. Only its SHA-256 is stored; the token is shown once."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="api_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16, help_text="first characters, to tell tokens apart")
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.merchant.slug})"


class Category(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    @property
    def image_path(self) -> str:
        """The category's illustration (a static path under static/img/products/; the pages show its WebP
        renditions, see images.py)."""
        return illustration_path(self.slug)


class Supplier(models.Model):
    name = models.CharField(max_length=200, unique=True)
    typical_lead_time_days = models.PositiveSmallIntegerField(default=7)
    contact_email = models.EmailField(blank=True)

    def __str__(self) -> str:
        return self.name


class TaxCategory(models.TextChoices):
    """How a product is taxed (the tax app's categories): the standard rate, a reduced rate (food, books),
    or none."""

    STANDARD = "standard", "Standard rate"
    REDUCED = "reduced", "Reduced rate"
    EXEMPT = "exempt", "Exempt"


class Product(models.Model):
    id = models.CharField(max_length=64, primary_key=True, default=new_product_id)
    sku = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, default="USD")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="products")
    supplier = models.ForeignKey(Supplier, on_delete=models.SET_NULL, null=True, blank=True, related_name="products")
    tax_category = models.CharField(max_length=10, choices=TaxCategory.choices, default=TaxCategory.STANDARD)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    weight_grams = models.PositiveIntegerField(default=0, help_text="shipping weight, packaging included")

    class Meta:
        indexes = [models.Index(fields=["merchant", "category"])]
        constraints = [models.CheckConstraint(condition=models.Q(price__gte=0), name="product_price_non_negative")]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"

    @property
    def image_path(self) -> str:
        """The product's picture as a static path: its category's illustration (shipped under
        static/img/products/), or a neutral one for a category without its own."""
        return self.category.image_path if self.category_id else illustration_path("")
