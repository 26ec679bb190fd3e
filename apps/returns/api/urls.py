"""API routes of the returns app, mounted under /api/ by vantage/urls.py."""
from django.urls import path

from .views_merchant import MerchantReturnListApi
from .views_returns import ReturnCancelApi, ReturnCollectionApi, ReturnDetailApi, ReturnStatusUpdateApi

urlpatterns = [
    path("v1/returns", ReturnCollectionApi.as_view(), name="returns"),
    path("v1/merchant/returns", MerchantReturnListApi.as_view(), name="merchant-returns"),
    path("v1/returns/<str:return_id>", ReturnDetailApi.as_view(), name="returns-detail"),
    path("v1/returns/<str:return_id>/cancel", ReturnCancelApi.as_view(), name="returns-cancel"),
    path("v1/returns/<str:return_id>/status", ReturnStatusUpdateApi.as_view(), name="returns-status"),
]
