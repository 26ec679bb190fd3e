"""Sign-in lockouts (django-axes), shared by the shop's login, `/admin/` and `/merchant/`.

After `AXES_FAILURE_LIMIT` failed sign-ins from one client, or for one username, within
`AXES_COOLOFF_TIME`, every further attempt (the right password included) is refused until the lockout
ends. The refusal is a 429 page in the look of the form that was used, with `Retry-After`.
Lockouts are listed in the admin (Axes › Access attempts), where staff can also lift them.
"""
import ipaddress

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.core.client_ip import client_ip
from apps.core.merchant_portal import merchant_site

TITLE = "Too many failed sign-in attempts"


def attempted_client_ip(request: HttpRequest) -> str | None:
    """The client as the API rate limits see it (`apps.core.client_ip`); None when that is not an IP
    address (a request without a peer, such as the test client's `force_login`), which axes stores as such."""
    ip = client_ip(request)
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        return None
    return ip


def attempted_username(request: HttpRequest, credentials: dict | None) -> str:
    """The username a sign-in attempt named, lower-cased so that case variations count as one: allauth
    passes `email` or `username`, Django's admin `username`."""
    credentials = credentials or {}
    name = (credentials.get("email") or credentials.get("username") or request.POST.get("login")
            or request.POST.get("username") or "")
    return str(name).strip().lower()


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {"lockout_minutes": max(seconds // 60, 1), "title": TITLE}
    site = {"/admin/": admin.site, "/merchant/": merchant_site}.get(request.path[:request.path.find("/", 1) + 1])
    if site is not None:
        response = render(request, "admin/lockout.html", {**site.each_context(request), **context}, status=429)
    else:
        response = render(request, "account/lockout.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
