"""Shopper pages of the catalog: the product list (filter by category, paginated) and product detail.

Both read through the catalog selectors; the detail page offers "Add to cart" (a form posting to
the checkout app's cart page) and, for eligible signed-in shoppers, the express checkout button.
"""
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import category_list, product_browse, product_get

PAGE_SIZE = 24


def product_list_page(request: HttpRequest) -> HttpResponse:
    categories = list(category_list())
    selected = request.GET.get("category", "")
    page = Paginator(product_browse(category_slug=selected), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "catalog/product_list.html", {
        "categories": categories, "selected": selected, "page": page,
    })


def product_detail_page(request: HttpRequest, product_id: str) -> HttpResponse:
    product = product_get(product_id=product_id)
    if product is None or not product.active:
        raise Http404("No such product")
    return render(request, "catalog/product_detail.html", {"product": product})
