"""API routes of the returns app, mounted under /api/ by vantage/urls.py."""
from django.urls import path

from . import merchant, views

urlpatterns = [
    path("v1/returns", views.ReturnCollectionApi.as_view(), name="returns"),
    path("v1/merchant/returns", merchant.MerchantReturnListApi.as_view(), name="merchant-returns"),
    path("v1/returns/<str:return_id>", views.ReturnDetailApi.as_view(), name="returns-detail"),
    path("v1/returns/<str:return_id>/cancel", views.ReturnCancelApi.as_view(), name="returns-cancel"),
    path("v1/returns/<str:return_id>/status", views.ReturnStatusUpdateApi.as_view(), name="returns-status"),
]
