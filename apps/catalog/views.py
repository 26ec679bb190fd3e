"""Shopper pages of the catalog: the shop's home page (and its icon), the product list (filter by category,
paginated) and product detail.

All read through the catalog selectors and show each product's availability; the detail page
offers "Add to cart" (a form posting to the checkout app's cart page, disabled when the product is
out of stock) and, for eligible signed-in shoppers, the express checkout button.
"""
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from .availability import availability_for
from .selectors import category_list, product_browse, product_featured, product_get

PAGE_SIZE = 24
FEATURED_COUNT = 8


def _with_availability(products) -> list:
    products = list(products)
    availability = availability_for(product_ids=[p.id for p in products])
    for product in products:
        product.availability = availability[product.id]
    return products


def home_page(request: HttpRequest) -> HttpResponse:
    categories = list(category_list())
    return render(request, "catalog/home.html", {
        "featured": _with_availability(product_featured(limit=FEATURED_COUNT)), "categories": categories,
        "return_window_days": settings.RETURN_WINDOW_DAYS,
    })


def product_list_page(request: HttpRequest) -> HttpResponse:
    categories = list(category_list())
    selected = request.GET.get("category", "")
    page = Paginator(product_browse(category_slug=selected), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "catalog/product_list.html", {
        "categories": categories, "selected": selected, "page": page,
        "products": _with_availability(page.object_list),
    })


def product_detail_page(request: HttpRequest, product_id: str) -> HttpResponse:
    product = product_get(product_id=product_id)
    if product is None or not product.active:
        raise Http404("No such product")
    return render(request, "catalog/product_detail.html", {
        "product": _with_availability([product])[0], "return_window_days": settings.RETURN_WINDOW_DAYS,
    })


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's): send them the shop's SVG."""
    return redirect(static("favicon.svg"), permanent=True)
