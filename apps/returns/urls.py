"""Page routes of the returns app, mounted at / by vantage/urls.py."""
from django.urls import path

from . import views

app_name = "returns"

urlpatterns = [
    path("webhooks/easypost", views.easypost_webhook, name="easypost-webhook"),
    path("returns/", views.returns_home, name="home"),
    path("returns/start", views.return_start, name="start"),
    path("returns/orders/<str:order_id>", views.return_order, name="order"),
    path("returns/labels/<str:token>", views.label_download, name="label-download"),
    path("returns/<str:return_id>", views.return_detail, name="detail"),
    path("returns/<str:return_id>/cancel", views.return_cancel_page, name="cancel"),
]
