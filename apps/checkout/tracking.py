"""Public tracking pages of the common carriers, for the links in shopper emails and pages."""

TRACKING_URLS = {
    "ups": "https://www.ups.com/track?tracknum={}",
    "usps": "https://tools.usps.com/go/TrackConfirmAction?tLabels={}",
    "fedex": "https://www.fedex.com/fedextrack/?trknbr={}",
    "dhl": "https://www.dhl.com/en/express/tracking.html?AWB={}",
}


def tracking_url(carrier: str, tracking_number: str) -> str:
    """The carrier's tracking page for the number, or "" for a carrier we have no page for."""
    template = TRACKING_URLS.get(carrier.strip().lower())
    return template.format(tracking_number) if template and tracking_number else ""
