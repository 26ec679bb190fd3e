"""Label providers: the EasyPost SDK against a local EasyPost-compatible server, the local PDF
provider, and what happens to a return when the provider fails."""
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.storage import default_storage

from apps.returns.errors import LabelProviderError
from apps.returns.labels.base import LabelRequest, get_label_provider, warehouse_address
from apps.returns.models import Return, ReturnStatus

from .conftest import SHOPPER, lines_of

pytestmark = pytest.mark.django_db



def test_easypost_provider_buys_lists_and_voids_through_the_sdk(easypost):
    provider = get_label_provider()
    label = provider.buy(LabelRequest(reference="ret_abc", from_address=SHOPPER, to_address=warehouse_address()))
    assert label.provider == "easypost" and label.carrier == "USPS"
    assert label.pdf.startswith(b"%PDF-") and label.tracking_code.startswith("9400")
    shipment = easypost.shipments[label.shipment_id]
    assert shipment["reference"] == "ret_abc" and shipment["is_return"] is True
    assert shipment["selected_rate"]["rate"] == "5.10"  # the lowest rate was bought
    assert shipment["from_address"]["street1"] == "1 Main St"
    listed = provider.list_labels(since=datetime.now(UTC) - timedelta(days=1))
    assert [(item.shipment_id, item.reference, item.voided) for item in listed] == [
        (label.shipment_id, "ret_abc", False)]
    provider.void(label.shipment_id)
    assert provider.list_labels(since=datetime.now(UTC) - timedelta(days=1))[0].voided is True
    assert ("POST", f"/v2/shipments/{label.shipment_id}/refund") in easypost.calls


def test_easypost_outage_is_a_label_provider_error(easypost):
    easypost.fail_next = 1
    with pytest.raises(LabelProviderError):
        get_label_provider().buy(LabelRequest(reference="ret_x", from_address=SHOPPER, to_address=warehouse_address()))


def test_return_through_easypost_stores_the_label_file(returns_on, easypost, make_order, create_return, client):
    body = create_return(make_order()).json()
    ret = Return.objects.get(pk=body["return_id"])
    assert ret.label_provider == "easypost" and ret.label_shipment_id in easypost.shipments
    assert default_storage.exists(ret.label_file)
    label = client.get(body["label_url"].replace("http://testserver", ""))
    assert b"".join(label.streaming_content).startswith(b"%PDF-")


def test_provider_failure_still_creates_the_return_in_requested(returns_on, easypost, make_order, create_return):
    # given EasyPost failing
    easypost.fail_next = 5
    order = make_order()
    (line,) = lines_of(order)
    # when the shopper starts a return
    response = create_return(order, items=[(line, 1, "damaged")])
    # then the return exists, waiting for its label (reconciliation retries it)
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["label_url"]) == ("requested", None)
    ret = Return.objects.get(pk=response.json()["return_id"])
    assert ret.label_attempts == 1 and "EasyPost" in ret.label_error


def test_local_provider_keeps_a_ledger_it_can_list_and_void():
    provider = get_label_provider("local_pdf")
    label = provider.buy(LabelRequest(reference="ret_local", from_address=SHOPPER, to_address=warehouse_address(),
                                      contents=["1 × Mug"]))
    assert label.pdf.startswith(b"%PDF-") and b"Ann Shopper" in label.pdf and b"Vantage Returns Center" in label.pdf
    assert b"/Subtype /Image" not in label.pdf  # the barcode is vector bars, drawn from the tracking code
    (listed,) = provider.list_labels(since=datetime.now(UTC) - timedelta(minutes=1))
    assert (listed.shipment_id, listed.reference, listed.voided) == (label.shipment_id, "ret_local", False)
    provider.void(label.shipment_id)
    assert provider.list_labels(since=datetime.now(UTC) - timedelta(minutes=1))[0].voided is True


def test_cancelled_while_label_was_being_bought_voids_the_new_label(returns_on, make_order, create_return):
    from apps.returns.services.labels import return_label_create
    from apps.returns.services.lifecycle import Actor
    from apps.returns.services.returns import return_cancel

    # given a return still waiting for its label, then cancelled
    ret = Return.objects.create(order_id=make_order().id, email="a@example.com")
    return_cancel(return_id=ret.id, actor=Actor.system("test"))
    # when a late label attempt runs, nothing is bought for it
    assert return_label_create(return_id=ret.id, actor=Actor.system("test")).status == ReturnStatus.CANCELLED
    assert get_label_provider().list_labels(since=datetime.now(UTC) - timedelta(minutes=1)) == []


def test_background_label_retry_task_buys_the_missing_label(returns_on, easypost, make_order, create_return):
    from apps.returns.tasks import label_retry

    easypost.fail_next = 1
    return_id = create_return(make_order()).json()["return_id"]
    assert Return.objects.get(pk=return_id).status == ReturnStatus.REQUESTED
    label_retry.apply(args=[return_id])
    assert Return.objects.get(pk=return_id).status == ReturnStatus.LABEL_CREATED
