"""Who may see or return an order: the signed-in shopper whose verified account email placed it, or a
guest who knows the order id, the checkout email and the confirmation token. Anything else is
"not found" — never "forbidden" — so nobody can learn that someone else's order or return exists."""
from dataclasses import dataclass

from apps.checkout.public import OrderInfo, order_get, order_guest_verify
from apps.core.errors import FieldError, ValidationFailed
from apps.returns.errors import OrderNotFound, ReturnNotFound
from apps.returns.models import ActorType, Return

from .lifecycle import Actor


@dataclass(frozen=True)
class Requester:
    user_id: int | None = None
    user_email: str = ""        # the account's *verified* email only (apps.accounts.public.verified_email)
    guest_email: str = ""
    guest_token: str = ""

    @property
    def is_guest(self) -> bool:
        return bool(self.guest_email or self.guest_token)

    def actor(self) -> Actor:
        if self.user_id is not None and not self.is_guest:
            return Actor(ActorType.CUSTOMER, str(self.user_id))
        return Actor(ActorType.GUEST, self.guest_email.lower())


def _require_identity(requester: Requester) -> None:
    if requester.user_id is not None and not requester.is_guest:
        return
    constraint = "required unless signed in"
    errors = [FieldError(name, "REQUIRED", message, constraint) for name, value, message in (
        ("email", requester.guest_email, "Enter the email address used at checkout."),
        ("confirmation_token", requester.guest_token, "Enter the confirmation token (cnf_…) from the "
                                                       "order confirmation email."),
    ) if not value]
    if errors:
        raise ValidationFailed(errors)


def _owns(order: OrderInfo, requester: Requester) -> bool:
    if requester.is_guest:
        return order_guest_verify(order_id=order.order_id, email=requester.guest_email,
                                  confirmation_token=requester.guest_token)
    return bool(requester.user_email) and order.email.lower() == requester.user_email.lower()


def order_for_requester(*, order_id: str, requester: Requester) -> OrderInfo:
    _require_identity(requester)
    order = order_get(order_id=order_id) if order_id else None
    if order is None or not _owns(order, requester):
        raise OrderNotFound()
    return order


def return_for_requester(*, return_id: str, requester: Requester) -> Return:
    _require_identity(requester)
    ret = Return.objects.prefetch_related("items", "transitions").filter(pk=return_id).first()
    if ret is None:
        raise ReturnNotFound()
    if not requester.is_guest and ret.user_id is not None and ret.user_id == requester.user_id:
        return ret
    order = order_get(order_id=ret.order_id)
    if order is None or not _owns(order, requester):
        raise ReturnNotFound()
    return ret
