"""OpenAPI examples of the returns API (what /api/docs/ shows for POST /api/v1/returns)."""
from drf_spectacular.utils import OpenApiExample

CREATE_EXAMPLES = [
    OpenApiExample("Guest, one item", request_only=True, value={
        "order_id": "ord_7k2m9p4q1x8z", "email": "jane@example.com", "confirmation_token": "cnf_3h8j2k5l9m1n",
        "items": [{"order_line_id": "118", "quantity": 1, "reason": "size_fit", "note": "too small"}]}),
    OpenApiExample("Smoke test (whole test order)", request_only=True, value={
        "order_id": "ord_smoke_test", "email": "smoke-test@vantage.example", "confirmation_token": "cnf_smoke_test"}),
    OpenApiExample("Created", response_only=True, status_codes=["201"], value={
        "return_id": "ret_4b7x2k9m1q3z", "order_id": "ord_7k2m9p4q1x8z", "status": "label_created",
        "label_url": "https://www.vantage.com/returns/labels/ret_4b7x2k9m1q3z:1tQx2a:Zx3…",
        "label_url_expires_in_seconds": 604800, "carrier": "USPS", "tracking_code": "9400111206213869512345",
        "items": [{"order_line_id": "118", "product_id": "prod_headphones_nc",
                   "name": "Noise Cancelling Headphones 700", "quantity": 1, "reason": "size_fit",
                   "note": "too small", "unit_price": 249.99, "refund_amount": 249.99}],
        "refund_estimate": 249.99, "refunded_amount": 0.0, "currency": "USD",
        "created_at": "2025-10-15T09:12:03Z", "updated_at": "2025-10-15T09:12:04Z",
        "history": [{"from_status": None, "to_status": "requested", "actor_type": "guest", "note": "return requested",
                     "at": "2025-10-15T09:12:03Z"},
                    {"from_status": "requested", "to_status": "label_created", "actor_type": "system",
                     "note": "USPS label 9400111206213869512345", "at": "2025-10-15T09:12:04Z"}]}),
]
