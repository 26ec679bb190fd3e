"""Shopper pages: find an order, pick items and reasons, see the return and download its label.

They call the same services as the API. A guest who proved an order (order id + email +
confirmation token) has it remembered in their session; signed-in shoppers need nothing more.
The label download view serves any label whose signed link is valid and unexpired; EasyPost's
tracker webhook moves returns to in transit and received.
"""
from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.public import verified_email
from apps.checkout.public import fulfillment_tracking_update, orders_for_email
from apps.core.errors import ApplicationError, ValidationFailed
from apps.core.page_ratelimit import rate_limited_page

from .errors import FeatureDisabled, LabelLinkInvalid
from .flags import flag_context, returns_enabled, returns_enabled_for_order
from .forms import OrderLookupForm, ReturnItemsForm
from .integrations.easypost.webhooks import InvalidWebhook, tracker_update_parse
from .labels.storage import label_file_open, label_link_verify
from .models import Return
from .presentation import label_url, return_progress
from .selectors import return_order_id, return_with_label, returns_for_order, returns_for_user
from .services.access import Requester, order_for_requester, return_for_requester
from .services.eligibility import (
    RequestedItem,
    order_return_path,
    order_returnable_errors,
    returnable_quantities,
    unshipped_quantities,
)
from .services.returns import CANCELLABLE, return_cancel, return_request
from .services.tracking import return_tracking_update

SESSION_KEY = "returns_guest_orders"


def _requester(request: HttpRequest, order_id: str) -> Requester:
    if request.user.is_authenticated and order_id not in request.session.get(SESSION_KEY, {}):
        return Requester(user_id=request.user.pk, user_email=verified_email(request.user))
    proof = request.session.get(SESSION_KEY, {}).get(order_id, {})
    return Requester(guest_email=proof.get("email", ""), guest_token=proof.get("token", ""))


def _flag_or_404(request: HttpRequest, *, is_test: bool) -> None:
    if not returns_enabled_for_order(flag_context(request), is_test_order=is_test):
        raise Http404(FeatureDisabled.message)


@require_GET
def returns_home(request: HttpRequest) -> HttpResponse:
    """Signed-in shoppers: their recent orders (with a return link where one is possible) and
    returns. Guests: the order lookup."""
    if not request.user.is_authenticated or not request.user.email:
        return redirect("returns:start")
    if not returns_enabled(flag_context(request)):
        raise Http404(FeatureDisabled.message)
    now = timezone.now()
    email = verified_email(request.user)
    orders = [(order, order_return_path(order, now=now)) for order in orders_for_email(email=email)]
    returns = returns_for_user(user_id=request.user.pk, email=email)
    return render(request, "returns/home.html", {"orders": orders, "returns": returns,
                                                 "return_window_days": settings.RETURN_WINDOW_DAYS})


@require_http_methods(["GET", "POST"])
@rate_limited_page("returns_start")
def return_start(request: HttpRequest) -> HttpResponse:
    form = OrderLookupForm(request.POST or None, initial={"order_id": request.GET.get("order_id", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        guest = bool(data["email"] or data["confirmation_token"]) or not request.user.is_authenticated
        requester = (Requester(guest_email=data["email"], guest_token=data["confirmation_token"]) if guest
                     else Requester(user_id=request.user.pk, user_email=verified_email(request.user)))
        try:
            order = order_for_requester(order_id=data["order_id"], requester=requester)
        except (ApplicationError, ValidationFailed):
            form.add_error(None, "We could not find that order. Check the order number, email and confirmation code.")
        else:
            if guest:
                proofs = request.session.get(SESSION_KEY, {})
                proofs[order.order_id] = {"email": data["email"], "token": data["confirmation_token"]}
                request.session[SESSION_KEY] = proofs
            return redirect("returns:order", order_id=order.order_id)
    return render(request, "returns/start.html", {"form": form})


@require_http_methods(["GET", "POST"])
def return_order(request: HttpRequest, order_id: str) -> HttpResponse:
    try:
        order = order_for_requester(order_id=order_id, requester=_requester(request, order_id))
    except (ApplicationError, ValidationFailed):
        return redirect(f"/returns/start?order_id={order_id}")
    _flag_or_404(request, is_test=order.is_test)
    problems = [error.message for error in order_returnable_errors(order, now=timezone.now())]
    form = ReturnItemsForm(request.POST or None, order=order, returnable=returnable_quantities(order))
    if request.method == "POST" and not problems and form.is_valid():
        requester = _requester(request, order_id)
        items = [RequestedItem(order_line_id=line_id, quantity=qty, reason=reason)
                 for line_id, qty, reason in form.chosen()]
        try:
            ret = return_request(order=order, items=items, actor=requester.actor(),
                                 user_id=None if requester.is_guest else requester.user_id)
        except ValidationFailed as exc:
            for error in exc.errors:
                form.add_error(None, error.message)
        else:
            return redirect("returns:detail", return_id=ret.id)
    unshipped = unshipped_quantities(order)
    waiting = [(line, unshipped[line.line_id]) for line in order.lines if line.line_id in unshipped]
    return render(request, "returns/order.html", {"order": order, "form": form, "problems": problems,
                                                  "waiting": waiting,
                                                  "returns": returns_for_order(order_id=order.order_id)})


def _return_for_page(request: HttpRequest, return_id: str) -> Return:
    order_id = return_order_id(return_id=return_id)
    try:
        ret = return_for_requester(return_id=return_id, requester=_requester(request, order_id))
    except (ApplicationError, ValidationFailed) as exc:
        raise Http404("No such return.") from exc
    _flag_or_404(request, is_test=ret.is_test)
    return ret


@require_GET
def return_detail(request: HttpRequest, return_id: str) -> HttpResponse:
    ret = _return_for_page(request, return_id)
    return render(request, "returns/detail.html", {"ret": ret, "label_url": label_url(ret, request=request),
                                                   "progress": return_progress(ret.status),
                                                   "cancellable": ret.status in CANCELLABLE})


@require_POST
def return_cancel_page(request: HttpRequest, return_id: str) -> HttpResponse:
    ret = _return_for_page(request, return_id)
    if ret.status in CANCELLABLE:
        return_cancel(return_id=ret.id, actor=_requester(request, ret.order_id).actor())
    return redirect("returns:detail", return_id=ret.id)


@require_GET
def label_download(request: HttpRequest, token: str) -> HttpResponse:
    try:
        return_id = label_link_verify(token)
    except LabelLinkInvalid as exc:
        raise Http404(exc.message) from exc
    ret = return_with_label(return_id=return_id)
    if ret is None:
        raise Http404("This return has no label.")
    response = FileResponse(label_file_open(ret.label_file), content_type="application/pdf",
                            filename=f"return-label-{ret.id}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt
@require_POST
def easypost_webhook(request: HttpRequest) -> HttpResponse:
    """EasyPost tracker webhooks (carrier scans of return labels and of merchants' parcels); 400 when
    the signature is wrong."""
    try:
        update = tracker_update_parse(request.body, request.headers)
    except InvalidWebhook:
        return JsonResponse({"error": "INVALID_SIGNATURE", "message": "X-Hmac-Signature does not match."}, status=400)
    if update is not None and return_tracking_update(shipment_id=update.shipment_id, tracking_code=update.tracking_code,
                                                     carrier_status=update.status) is None:
        # not a return label: a merchant's parcel, tracked for the checkout app's orders
        fulfillment_tracking_update(tracking_code=update.tracking_code, carrier_status=update.status)
    return JsonResponse({"received": True})
