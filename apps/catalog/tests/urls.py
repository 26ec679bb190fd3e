"""Test URLconf: project routes plus a merchant-scoped test endpoint."""
from django.urls import path

from vantage.urls import urlpatterns as project_urlpatterns

from .views import MyProductsApi

urlpatterns = [path("api/test/my-products", MyProductsApi.as_view()), *project_urlpatterns]
