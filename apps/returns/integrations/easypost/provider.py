"""EasyPost label provider through the official `easypost` SDK.

`EASYPOST_API_BASE` points the SDK at any EasyPost-compatible base URL (tests use a small local
server). A return label is a shipment with `is_return: true` bought at its lowest rate; the PDF
is downloaded from the `postage_label.label_url` EasyPost returns. Voiding is EasyPost's
shipment refund. Every SDK or HTTP failure becomes `LabelProviderError`.
"""
from datetime import datetime

import easypost
import requests
from django.conf import settings

from ...errors import LabelProviderError
from ...labels.base import LabelAddress, LabelRequest, ProviderLabel, PurchasedLabel

PAGE_SIZE = 100


def _address(address: LabelAddress) -> dict:
    return {"name": address.name, "street1": address.line1, "street2": address.line2, "city": address.city,
            "state": address.state, "zip": address.zip, "country": address.country, "email": address.email}


class EasyPostLabelProvider:
    name = "easypost"

    def __init__(self):
        if not settings.EASYPOST_API_KEY:
            raise LabelProviderError("EASYPOST_API_KEY is not set; set it or use LABEL_PROVIDER=local_pdf.")
        timeout = max(int(settings.OUTBOUND_HTTP_TIMEOUT_SECONDS), 1)
        self.client = easypost.EasyPostClient(settings.EASYPOST_API_KEY, api_base=settings.EASYPOST_API_BASE,
                                              timeout=timeout)
        self.timeout = settings.OUTBOUND_HTTP_TIMEOUT_SECONDS

    def buy(self, request: LabelRequest) -> PurchasedLabel:
        try:
            shipment = self.client.shipment.create(
                is_return=True, reference=request.reference,
                from_address=_address(request.from_address), to_address=_address(request.to_address),
                parcel={"weight": request.parcel_weight_oz}, options={"label_format": "PDF"},
            )
            bought = self.client.shipment.buy(shipment.id, rate=shipment.lowest_rate())
            response = requests.get(bought.postage_label.label_url, timeout=self.timeout)
            response.raise_for_status()
        except (easypost.errors.EasyPostError, requests.RequestException) as exc:
            raise LabelProviderError(f"EasyPost label purchase failed: {exc}") from exc
        return PurchasedLabel(provider=self.name, shipment_id=bought.id, tracking_code=bought.tracking_code,
                              carrier=bought.selected_rate.carrier, pdf=response.content)

    def void(self, shipment_id: str) -> None:
        try:
            self.client.shipment.refund(shipment_id)
        except easypost.errors.EasyPostError as exc:
            raise LabelProviderError(f"EasyPost could not void {shipment_id}: {exc}") from exc

    def list_labels(self, *, since: datetime) -> list[ProviderLabel]:
        labels: list[ProviderLabel] = []
        try:
            page = self.client.shipment.all(purchased=True, page_size=PAGE_SIZE, start_datetime=since.isoformat())
            while True:
                labels += [self._provider_label(shipment) for shipment in page["shipments"]]
                if not page.get("has_more"):
                    break
                page = self.client.shipment.get_next_page(page, PAGE_SIZE)
        except easypost.errors.EasyPostError as exc:
            raise LabelProviderError(f"EasyPost shipment listing failed: {exc}") from exc
        return labels

    @staticmethod
    def _provider_label(shipment) -> ProviderLabel:
        return ProviderLabel(
            shipment_id=shipment.id, reference=shipment.get("reference") or "",
            created_at=datetime.fromisoformat(shipment.created_at.replace("Z", "+00:00")),
            voided=shipment.get("refund_status") in ("submitted", "refunded"),
        )
