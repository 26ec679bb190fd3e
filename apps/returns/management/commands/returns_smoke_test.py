"""`python manage.py returns_smoke_test --base-url URL`: the deploy manifest's post-deploy smoke test.

POSTs a return for the flagged test order (`ord_smoke_test`) to a running server, checks the 201
carries a valid `ret_…` return_id and a label URL, downloads the label and checks it is a PDF,
then cancels the return so the test leaves nothing behind. Exit status 1 on any failure, which
is what the deploy pipeline's rollback trigger watches.
"""
import re

import requests
from django.core.management.base import BaseCommand, CommandError

RETURN_ID = re.compile(r"^ret_[a-z0-9]{12}\Z")


class Command(BaseCommand):
    help = "Run the returns smoke test (POST /api/v1/returns for the test order) against a running server."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", required=True, help="e.g. https://returns.vantage.internal")
        parser.add_argument("--order-id", default="ord_smoke_test")
        parser.add_argument("--email", default="smoke-test@vantage.example")
        parser.add_argument("--confirmation-token", default="cnf_smoke_test")
        parser.add_argument("--timeout", type=float, default=15.0)

    def handle(self, *args, base_url: str, order_id: str, email: str, confirmation_token: str, timeout: float,
               **options):
        base_url = base_url.rstrip("/")
        identity = {"email": email, "confirmation_token": confirmation_token}
        session = requests.Session()
        response = session.post(f"{base_url}/api/v1/returns", json={"order_id": order_id, **identity},
                                timeout=timeout)
        if response.status_code != 201:
            raise CommandError(f"FAIL: POST /api/v1/returns answered {response.status_code}: {response.text[:500]}")
        body = response.json()
        return_id, label_url = body.get("return_id", ""), body.get("label_url")
        if not RETURN_ID.match(return_id):
            raise CommandError(f"FAIL: return_id {return_id!r} is not a valid ret_ id")
        if not label_url:
            raise CommandError(f"FAIL: return {return_id} has no label_url (status {body.get('status')})")
        label = session.get(label_url, timeout=timeout)
        if label.status_code != 200 or not label.content.startswith(b"%PDF-"):
            raise CommandError(f"FAIL: label {label_url} answered {label.status_code} "
                               f"{label.headers.get('Content-Type')} instead of a PDF")
        cancel = session.post(f"{base_url}/api/v1/returns/{return_id}/cancel", json=identity, timeout=timeout)
        if cancel.status_code != 200:
            self.stderr.write(f"warning: cancelling {return_id} answered {cancel.status_code}")
        self.stdout.write(f"OK: 201 {return_id}, label {len(label.content)} bytes PDF, cleaned up")
