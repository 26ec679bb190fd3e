"""`python manage.py issue_token --merchant SLUG`: print a new merchant API token (last stdout line)."""
from django.core.management.base import BaseCommand, CommandError

from ...selectors import merchant_get_by_slug
from ...services import merchant_api_token_issue


class Command(BaseCommand):
    help = "Issue a Bearer token for a merchant's API access. It is printed once and never stored in clear."

    def add_arguments(self, parser):
        parser.add_argument("--merchant", required=True, help="merchant slug, e.g. demo")
        parser.add_argument("--label", default="", help="a note to tell tokens apart")

    def handle(self, *args, merchant: str, label: str, **options):
        found = merchant_get_by_slug(slug=merchant)
        if found is None:
            raise CommandError(f"No merchant with slug '{merchant}'. Create it in /admin/ or run seed_demo.")
        token = merchant_api_token_issue(merchant=found, label=label)
        self.stderr.write(f"Token for merchant '{found.slug}' (shown once; store it now):")
        self.stdout.write(token)
