"""API routes of the checkout app, mounted under /api/ by vantage/urls.py."""
from django.urls import path

from .views_carts import CartCreateApi, CartDetailApi, CartItemAddApi, CartItemApi
from .views_checkout import GuestCheckoutApi, GuestSessionCreateApi, GuestSessionDetailApi
from .views_merchant_orders import FulfillmentCreateApi, FulfillmentDeliveredApi, MerchantOrderListApi
from .views_orders import OrderCancelApi
from .views_quote import ShippingOptionsApi

# The busiest first (each request's path is matched twice, see vantage/urls.py): the guest session's reads
# and the checkout itself.
urlpatterns = [
    path("v2/checkout/guest/session/<str:session_id>", GuestSessionDetailApi.as_view(), name="guest-session"),
    path("v2/checkout/guest", GuestCheckoutApi.as_view(), name="guest-checkout"),
    path("v2/checkout/guest/session", GuestSessionCreateApi.as_view(), name="guest-session-create"),
    path("v2/checkout/guest/shipping-options", ShippingOptionsApi.as_view(), name="guest-shipping-options"),
    path("v1/carts", CartCreateApi.as_view(), name="cart-create"),
    path("v1/carts/<str:cart_id>", CartDetailApi.as_view(), name="cart-detail"),
    path("v1/carts/<str:cart_id>/items", CartItemAddApi.as_view(), name="cart-item-add"),
    path("v1/carts/<str:cart_id>/items/<str:product_id>", CartItemApi.as_view(), name="cart-item"),
    path("v1/orders/<str:order_id>/cancel", OrderCancelApi.as_view(), name="order-cancel"),
    path("v1/merchant/orders", MerchantOrderListApi.as_view(), name="merchant-order-list"),
    path("v1/merchant/orders/<str:order_id>/fulfillments", FulfillmentCreateApi.as_view(),
         name="merchant-fulfillment-create"),
    path("v1/merchant/orders/<str:order_id>/fulfillments/<str:fulfillment_id>/delivered",
         FulfillmentDeliveredApi.as_view(), name="merchant-fulfillment-delivered"),
]
