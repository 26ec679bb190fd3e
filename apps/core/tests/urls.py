"""Test URLconf: the real project routes plus the core test views."""
from django.urls import path

from vantage.urls import urlpatterns as project_urlpatterns

from . import views

urlpatterns = [
    path("api/test/echo", views.EchoApi.as_view()),
    path("api/test/big", views.BigBodyApi.as_view()),
    path("api/test/boom", views.BoomApi.as_view()),
    path("api/test/teapot", views.TeapotApi.as_view()),
    path("api/test/internal", views.InternalApi.as_view()),
    path("api/test/statement-timeout", views.StatementTimeoutApi.as_view()),
    *project_urlpatterns,
]
