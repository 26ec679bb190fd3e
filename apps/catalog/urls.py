"""Page routes of the catalog app, mounted at / by vantage/urls.py."""
from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.home_page, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("products/", views.product_list_page, name="product-list"),
    path("products/<str:product_id>/", views.product_detail_page, name="product-detail"),
]
