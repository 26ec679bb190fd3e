"""The label provider interface: what every shipping-label vendor must offer the returns app.

Providers buy a prepaid return label (a PDF), void one, and list the labels bought recently so
reconciliation can find labels that no return record points to. They raise `LabelProviderError`
for anything that went wrong on their side; callers keep the return in `requested` and retry.
"""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class LabelAddress:
    name: str
    line1: str
    city: str
    state: str
    zip: str
    country: str
    line2: str = ""
    email: str = ""


@dataclass(frozen=True)
class LabelRequest:
    reference: str  # the return id, written on the label and kept by the provider
    from_address: LabelAddress  # the shopper
    to_address: LabelAddress  # the returns warehouse
    parcel_weight_oz: float = 16.0
    contents: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PurchasedLabel:
    provider: str
    shipment_id: str
    tracking_code: str
    carrier: str
    pdf: bytes


@dataclass(frozen=True)
class ProviderLabel:
    """A label as the provider's account knows it (for orphan detection)."""

    shipment_id: str
    reference: str
    created_at: datetime
    voided: bool


class LabelProvider(Protocol):
    name: str

    def buy(self, request: LabelRequest) -> PurchasedLabel: ...

    def void(self, shipment_id: str) -> None: ...

    def list_labels(self, *, since: datetime) -> list[ProviderLabel]: ...


PROVIDERS = {
    "local_pdf": "apps.returns.labels.local_pdf.LocalPdfLabelProvider",
    "easypost": "apps.returns.integrations.easypost.provider.EasyPostLabelProvider",
}


def get_label_provider(name: str | None = None) -> LabelProvider:
    """The provider named by LABEL_PROVIDER (or `name`)."""
    name = name or settings.LABEL_PROVIDER
    if name not in PROVIDERS:
        raise ValueError(f"LABEL_PROVIDER must be one of {sorted(PROVIDERS)}, not {name!r}.")
    return import_string(PROVIDERS[name])()


def warehouse_address() -> LabelAddress:
    return LabelAddress(**settings.RETURNS_WAREHOUSE_ADDRESS)
