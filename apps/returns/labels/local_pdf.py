"""The embedded label provider: renders the PDF itself and keeps its "account" (the labels it
issued and whether they were voided) as small JSON records in the default storage, so
reconciliation can list and void its labels exactly as it does with EasyPost's."""
import json
import secrets
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from .base import LabelRequest, ProviderLabel, PurchasedLabel
from .pdf import render_label_pdf

LEDGER_DIR = "label-provider-local"
CARRIER = "Vantage Returns Post"


def _ledger_path(shipment_id: str) -> str:
    return f"{LEDGER_DIR}/{shipment_id}.json"


class LocalPdfLabelProvider:
    name = "local_pdf"

    def buy(self, request: LabelRequest) -> PurchasedLabel:
        shipment_id = "shp_local_" + secrets.token_hex(8)
        tracking_code = "VR" + "".join(secrets.choice("0123456789") for _ in range(18))
        pdf = render_label_pdf(reference=request.reference, tracking_code=tracking_code, carrier=CARRIER,
                               from_address=request.from_address, to_address=request.to_address,
                               contents=request.contents)
        record = {"shipment_id": shipment_id, "reference": request.reference, "tracking_code": tracking_code,
                  "created_at": timezone.now().isoformat(), "voided": False}
        default_storage.save(_ledger_path(shipment_id), ContentFile(json.dumps(record).encode()))
        return PurchasedLabel(provider=self.name, shipment_id=shipment_id, tracking_code=tracking_code,
                              carrier=CARRIER, pdf=pdf)

    def void(self, shipment_id: str) -> None:
        path = _ledger_path(shipment_id)
        if not default_storage.exists(path):
            return
        with default_storage.open(path) as handle:
            record = json.loads(handle.read())
        record["voided"] = True
        default_storage.delete(path)
        default_storage.save(path, ContentFile(json.dumps(record).encode()))

    def list_labels(self, *, since: datetime) -> list[ProviderLabel]:
        try:
            filenames = default_storage.listdir(LEDGER_DIR)[1]
        except FileNotFoundError:  # no label issued yet (S3 has no directories and lists nothing)
            return []
        labels = []
        for filename in filenames:
            if not filename.endswith(".json"):
                continue
            with default_storage.open(f"{LEDGER_DIR}/{filename}") as handle:
                record = json.loads(handle.read())
            created_at = datetime.fromisoformat(record["created_at"])
            if created_at >= since:
                labels.append(ProviderLabel(shipment_id=record["shipment_id"], reference=record["reference"],
                                            created_at=created_at, voided=record["voided"]))
        return labels
