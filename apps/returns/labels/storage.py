"""Where label PDFs live and how shoppers reach them.

Files go through Django's default storage: local media in development, the S3 bucket
`vantage-return-labels` (django-storages) when AWS_STORAGE_BUCKET_NAME is set. Shoppers never
get a storage path: `label_url` is a link to our own view carrying a `TimestampSigner` token
that names the return and expires after RETURN_LABEL_URL_TTL_SECONDS.
"""
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from ..errors import LabelLinkInvalid

SIGNING_SALT = "returns.label-link"
LABEL_DIR = "return-labels"


def label_file_save(*, return_id: str, shipment_id: str, pdf: bytes) -> str:
    """Store the PDF and return its storage name (the storage may rename to avoid clashes)."""
    return default_storage.save(f"{LABEL_DIR}/{return_id}/{shipment_id}.pdf", ContentFile(pdf))


def label_file_open(name: str):
    return default_storage.open(name, "rb")


def label_link_path(return_id: str) -> str:
    """A fresh signed path to the label download view (relative; views make it absolute)."""
    token = signing.TimestampSigner(salt=SIGNING_SALT).sign(return_id)
    return reverse("returns:label-download", kwargs={"token": token})


def label_link_verify(token: str) -> str:
    """The return id in a valid, unexpired token; `LabelLinkInvalid` otherwise."""
    try:
        return signing.TimestampSigner(salt=SIGNING_SALT).unsign(
            token, max_age=settings.RETURN_LABEL_URL_TTL_SECONDS)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature too
        raise LabelLinkInvalid() from exc
