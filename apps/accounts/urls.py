"""Account pages, mounted at /accounts/ by vantage/urls.py: django-allauth's (login, signup, logout, email
verification, password reset and change), with sign up and password reset requests rate-limited per
client by the project's Redis limiter (`PAGE_RATE_LIMITS`). Listed before allauth's own routes, so
these paths resolve to the limited views."""
from allauth.account import views as allauth_views
from django.urls import include, path

from apps.core.page_ratelimit import rate_limited_page

urlpatterns = [
    path("signup/", rate_limited_page("signup")(allauth_views.signup), name="account_signup"),
    path("password/reset/", rate_limited_page("password_reset")(allauth_views.password_reset),
         name="account_reset_password"),
    path("", include("allauth.account.urls")),
]
