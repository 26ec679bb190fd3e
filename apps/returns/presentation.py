"""What the API and the pages both show of a return beyond its columns: the absolute label link."""
from .labels.storage import label_link_path
from .models import Return


def label_url(ret: Return, *, request) -> str | None:
    """The signed label link (valid `RETURN_LABEL_URL_TTL_SECONDS`), or None until a label exists."""
    return request.build_absolute_uri(label_link_path(ret.id)) if ret.has_label else None
