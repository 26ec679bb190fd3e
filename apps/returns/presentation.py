"""What the API and the pages show of a return beyond its columns: the absolute label link, and the
words and progress steps a shopper reads instead of codes (`no_longer_needed` → "No longer needed",
`label_created` → "Label ready")."""
from dataclasses import dataclass

from .labels.storage import label_link_path
from .models import Return, ReturnReason, ReturnStatus

STATUS_LABELS = {
    ReturnStatus.REQUESTED: "Requested",
    ReturnStatus.LABEL_CREATED: "Label ready",
    ReturnStatus.IN_TRANSIT: "On its way back",
    ReturnStatus.RECEIVED: "Received",
    ReturnStatus.REFUNDED: "Refunded",
    ReturnStatus.CANCELLED: "Cancelled",
    ReturnStatus.LABEL_FAILED: "Label delayed",
}
REASON_LABELS = {
    ReturnReason.DAMAGED: "Arrived damaged",
    ReturnReason.DEFECTIVE: "Defective or doesn't work",
    ReturnReason.WRONG_ITEM: "Wrong item sent",
    ReturnReason.NOT_AS_DESCRIBED: "Not as described",
    ReturnReason.SIZE_FIT: "Size or fit",
    ReturnReason.NO_LONGER_NEEDED: "No longer needed",
    ReturnReason.ARRIVED_LATE: "Arrived too late",
    ReturnReason.OTHER: "Other",
}
REASON_CHOICES = [(reason.value, REASON_LABELS[reason]) for reason in ReturnReason]
# The path a return normally takes; a failed label waits at its first step, a cancelled return stops.
PROGRESS = [ReturnStatus.REQUESTED, ReturnStatus.LABEL_CREATED, ReturnStatus.IN_TRANSIT, ReturnStatus.RECEIVED,
            ReturnStatus.REFUNDED]


@dataclass(frozen=True)
class ProgressStep:
    label: str
    state: str  # "done", "current" or "upcoming"


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def reason_label(reason: str) -> str:
    return REASON_LABELS.get(reason, reason.replace("_", " ").capitalize())


def return_progress(status: str) -> list[ProgressStep]:
    """The return's steps for the progress view; empty for a cancelled return (nothing is underway)."""
    if status == ReturnStatus.CANCELLED:
        return []
    reached = PROGRESS.index(ReturnStatus.REQUESTED if status == ReturnStatus.LABEL_FAILED else status)
    return [ProgressStep(STATUS_LABELS[step], "done" if index < reached else "current" if index == reached
                         else "upcoming") for index, step in enumerate(PROGRESS)]


def label_url(ret: Return, *, request) -> str | None:
    """The signed label link (valid `RETURN_LABEL_URL_TTL_SECONDS`), or None until a label exists."""
    return request.build_absolute_uri(label_link_path(ret.id)) if ret.has_label else None
