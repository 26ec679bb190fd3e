"""Only staff may open the staff pages: anonymous visitors and signed-in shoppers are sent to the
admin login, over HTTP, for every page and for the one form that changes something."""
import pytest

from apps.experiments.testing import ExperimentFactory

pytestmark = pytest.mark.django_db

PAGES = ["/ops/", "/ops/inventory/", "/ops/payment-methods/", "/ops/payment-methods/?format=csv",
         "/ops/guest-checkout/", "/ops/experiments/", "/ops/experiments/EXP-2025-163/"]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_the_login(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("path", PAGES)
def test_a_signed_in_shopper_is_refused(client, shopper, path):
    client.force_login(shopper)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("path", PAGES)
def test_staff_see_every_page(staff_client, path):
    assert staff_client.get(path).status_code == 200


def test_a_shopper_cannot_conclude_an_experiment(client, shopper):
    experiment = ExperimentFactory(key="ops_access", status="running",
                                   variants=[{"key": "control", "weight": 50}, {"key": "variant_b", "weight": 50}])
    client.force_login(shopper)

    response = client.post("/ops/experiments/ops_access/conclude", {"winner": "variant_b"})

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    experiment.refresh_from_db()
    assert (experiment.status, experiment.winner) == ("running", "")
