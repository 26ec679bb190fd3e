"""The rate table in the ops admin: a staff user with the tax permissions adds jurisdictions; codes are
normalised, bad codes and rates are refused with a message saying how to fix them, and a jurisdiction exists
once. Transactions are read-only, with a "record again" action."""
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from apps.tax.models import TaxRate, TaxReversal, TaxTransaction
from apps.tax.testing import TaxRateFactory

pytestmark = pytest.mark.django_db
ADD = "/admin/tax/taxrate/add/"


@pytest.fixture
def tax_staff(staff_client, staff_user):
    staff_user.user_permissions.set(Permission.objects.filter(content_type__app_label="tax"))
    return staff_client


def form(**overrides) -> dict:
    return {"name": "New York City", "country": "us", "state": " ny", "zip_prefix": "100", "standard_rate": "8.875",
            "reduced_rate": "0", "shipping_taxable": "on", **overrides}


def test_the_rate_table_pages_render(tax_staff):
    rate = TaxRateFactory(name="Manhattan", state="NY", zip_prefix="100")

    assert tax_staff.get("/admin/tax/taxrate/").status_code == 200
    assert tax_staff.get(ADD).status_code == 200
    page = tax_staff.get(f"/admin/tax/taxrate/{rate.pk}/change/")
    assert page.status_code == 200 and "the longest matching ZIP prefix" in page.content.decode()
    assert tax_staff.get("/admin/tax/taxtransaction/").status_code == 200


def test_staff_add_a_jurisdiction_with_normalised_codes(tax_staff):
    response = tax_staff.post(ADD, form())

    assert response.status_code == 302
    rate = TaxRate.objects.get()
    assert (rate.country, rate.state, rate.zip_prefix) == ("US", "NY", "100")
    assert (rate.standard_rate, rate.shipping_taxable, rate.prices_include_tax) == (Decimal("8.875"), True, False)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"country": "USA"}, "two-letter ISO country code"),
    ({"state": "N.Y"}, "the state&#x27;s code"),
    ({"zip_prefix": "100-"}, "first characters of the ZIP code"),
    ({"standard_rate": "-1"}, "greater than or equal to 0"),
    ({"standard_rate": "100"}, "less than or equal to 99.9999"),
    ({"standard_rate": "4", "reduced_rate": "5"}, "cannot be higher than the standard rate"),
])
def test_bad_rates_are_refused_with_the_fix(tax_staff, overrides, message):
    response = tax_staff.post(ADD, form(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TaxRate.objects.exists()


def test_a_jurisdiction_exists_once(tax_staff):
    assert tax_staff.post(ADD, form()).status_code == 302

    response = tax_staff.post(ADD, form(name="Manhattan again", country="US", state="NY"))

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert TaxRate.objects.count() == 1


def test_staff_without_tax_permissions_cannot_edit_rates(staff_client):
    assert staff_client.post(ADD, form()).status_code == 403
    assert not TaxRate.objects.exists()


def test_transactions_are_read_only_and_can_be_recorded_again(tax_staff, local_stripe, eager_tasks,
                                                              django_capture_on_commit_callbacks):
    TaxTransaction.objects.create(reference="ord_1", calculation_id="taxcalc_gone", status="refused",
                                  last_error="No such tax.calculation")

    assert tax_staff.get("/admin/tax/taxtransaction/add/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = tax_staff.post("/admin/tax/taxtransaction/", {
            "action": "record_again", "_selected_action": [TaxTransaction.objects.get().pk]}, follow=True)

    assert "1 transaction(s) queued" in response.content.decode()
    assert local_stripe.call_count("POST", "/v1/tax/transactions/create_from_calculation") == 1
    assert TaxTransaction.objects.get().status == "refused"  # Stripe still does not know the calculation


def test_reversals_are_read_only_and_can_be_reversed_again(tax_staff, local_stripe, eager_tasks,
                                                           django_capture_on_commit_callbacks):
    # given: a reversal Stripe refused, of a transaction Stripe does not know (so it is refused again)
    TaxTransaction.objects.create(reference="ord_1", calculation_id="taxcalc_x", status="recorded",
                                  stripe_transaction_id="tax_gone")
    reversal = TaxReversal.objects.create(reference="ord_1-re_1", transaction_reference="ord_1", status="refused",
                                          last_error="No such tax.transaction", flat_amount=Decimal("20.00"))
    # when
    page = tax_staff.get(f"/admin/tax/taxreversal/{reversal.pk}/change/")
    added = tax_staff.get("/admin/tax/taxreversal/add/")
    deleted = tax_staff.post(f"/admin/tax/taxreversal/{reversal.pk}/delete/", {"post": "yes"})
    with django_capture_on_commit_callbacks(execute=True):
        again = tax_staff.post("/admin/tax/taxreversal/", {
            "action": "reverse_again", "_selected_action": [reversal.pk]}, follow=True)
    # then
    html = page.content.decode()
    assert page.status_code == 200 and 'name="status"' not in html and 'name="flat_amount"' not in html
    assert "20.00" in html
    assert (added.status_code, deleted.status_code) == (403, 403)
    assert "1 reversal(s) queued" in again.content.decode()
    assert local_stripe.call_count("POST", "/v1/tax/transactions/create_reversal") == 1
    assert TaxReversal.objects.get().status == "refused"
