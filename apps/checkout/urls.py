"""Page routes of the checkout app, mounted at / by vantage/urls.py."""
from django.urls import path

from .views import account, cart, checkout, events, express, orders, simulated_authentication

app_name = "checkout"
urlpatterns = [
    path("cart/", cart.cart_page, name="cart"),
    path("cart/add", cart.cart_add, name="cart-add"),
    path("cart/update", cart.cart_update, name="cart-update"),
    path("checkout/", checkout.checkout_page, name="checkout"),
    path("checkout/confirmation/<str:token>/", checkout.confirmation_page, name="confirmation"),
    path("checkout/confirmation/<str:token>/cancel", orders.order_cancel_view, name="order-cancel"),
    path("checkout/events", events.browser_event, name="browser-event"),
    path("checkout/test-authentication", simulated_authentication.simulated_authentication,
         name="test-authentication"),
    path("express/start", express.express_start_view, name="express-start"),
    path("express/<str:express_id>/complete", express.express_complete_view, name="express-complete"),
    path("express/<str:express_id>/cancel", express.express_cancel_view, name="express-cancel"),
    path("account/", account.account_page, name="account"),
]
