"""Tax data: the jurisdictions' rates (the `table` provider's configuration, edited in the ops admin) and the
Stripe Tax transactions recorded for paid orders, and their reversals for refunds (the `stripe` provider)."""
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("99.9999"))]


class TaxRate(models.Model):
    """The rates of one jurisdiction: a country, optionally narrowed to a state (or region) and a ZIP
    (postal code) prefix. For a destination the most specific matching row wins: the longest matching
    ZIP prefix, then the state's row, then the country's. A destination no row matches is not taxed."""

    name = models.CharField(max_length=100, help_text="What ops call it, e.g. “California” or “New York City”.")
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. US, DE.")
    state = models.CharField(max_length=3, blank=True,
                             help_text="US state code (or region); empty for the whole country.")
    zip_prefix = models.CharField(max_length=10, blank=True,
                                  help_text="ZIP/postal code prefix, e.g. 100 for Manhattan; empty for all.")
    standard_rate = models.DecimalField(max_digits=7, decimal_places=4, validators=PERCENT_VALIDATORS,
                                        help_text="Percent, e.g. 7.25.")
    reduced_rate = models.DecimalField(max_digits=7, decimal_places=4, validators=PERCENT_VALIDATORS,
                                       help_text="Percent for reduced-rate products (food, books); 0 where "
                                                 "they are not taxed.")
    shipping_taxable = models.BooleanField(default=False, help_text="Shipping is taxed at the standard rate.")
    prices_include_tax = models.BooleanField(
        default=False, help_text="Listed prices already contain the tax (VAT countries); off for US sales tax.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "state", "zip_prefix"]
        constraints = [
            models.UniqueConstraint(fields=["country", "state", "zip_prefix"], name="tax_rate_one_per_jurisdiction"),
            models.CheckConstraint(condition=models.Q(standard_rate__gte=0, reduced_rate__gte=0),
                                   name="tax_rate_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.jurisdiction})"

    @property
    def jurisdiction(self) -> str:
        return "-".join(part for part in (self.country, self.state, self.zip_prefix) if part)

    def clean(self) -> None:
        self.country = (self.country or "").strip().upper()
        self.state = (self.state or "").strip().upper()
        self.zip_prefix = (self.zip_prefix or "").strip().upper()
        errors = {}
        if not re.fullmatch(r"[A-Z]{2}", self.country):
            errors["country"] = "Use the two-letter ISO country code, e.g. US or DE."
        if self.state and not re.fullmatch(r"[A-Z0-9]{1,3}", self.state):
            errors["state"] = "Use the state's code, e.g. CA or NY (letters and digits, up to 3)."
        if self.zip_prefix and not re.fullmatch(r"[A-Z0-9]{1,10}", self.zip_prefix):
            errors["zip_prefix"] = "Use the first characters of the ZIP code only (letters and digits), e.g. 100."
        if (self.reduced_rate is not None and self.standard_rate is not None
                and self.reduced_rate > self.standard_rate):
            errors["reduced_rate"] = "The reduced rate cannot be higher than the standard rate."
        if errors:
            raise ValidationError(errors)

    @property
    def standard_fraction(self) -> Decimal:
        return (self.standard_rate / 100).normalize()

    @property
    def reduced_fraction(self) -> Decimal:
        return (self.reduced_rate / 100).normalize()


class StripeTaxRecord(models.Model):
    """A row Stripe Tax must receive once: pending until a Celery task sends it after commit, then recorded or
    refused (never retried), with its attempts. `reference` is ours and Stripe's, and the Idempotency-Key."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RECORDED = "recorded", "Recorded"
        REFUSED = "refused", "Refused by Stripe"  # never retried: ops read `last_error`

    reference = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.reference} ({self.status})"


class TaxTransaction(StripeTaxRecord):
    """A Stripe Tax transaction to record for a paid order (Stripe's `reference` is ours: one per order).
    Written in the transaction that marks the order paid, sent to Stripe after commit by a Celery task."""

    calculation_id = models.CharField(max_length=200)
    stripe_transaction_id = models.CharField(max_length=200, blank=True)


class TaxReversal(StripeTaxRecord):
    """A refund's reversal of an order's Stripe Tax transaction, so Stripe Tax stops reporting the refunded tax
    as collected. `reference` derives from the refund (one reversal per refund, also Stripe's reference and
    Idempotency-Key); `lines` empty and no `flat_amount` means the whole transaction (mode "full"); else the
    lines given back (mode "partial"): [{"reference", "amount", "tax", "quantity"}], money as decimal strings,
    tax included in amount; or `flat_amount`, an amount refunded without lines (an ops refund from the admin),
    tax included, that Stripe spreads over the whole transaction (mode "partial" with `flat_amount`). Written
    in the transaction that records the refund, sent after commit by a Celery task."""

    transaction_reference = models.CharField(max_length=200, db_index=True,
                                             help_text="the reversed TaxTransaction's reference (the order id)")
    lines = models.JSONField(default=list, blank=True)
    flat_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True,
                                      help_text="refunded without lines, tax included: spread over the transaction")
    sent_line_items = models.JSONField(default=list, blank=True,
                                       help_text="the line items Stripe recorded: negative cents, tax apart")
    stripe_reversal_id = models.CharField(max_length=200, blank=True)

    @property
    def mode(self) -> str:
        return "partial" if self.lines or self.flat_amount is not None else "full"
