"""The ops panel "Products Below Threshold with Restock ETA" at /ops/inventory/ (staff only)."""
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render

from .selectors import ops_panel_get


@staff_member_required
def ops_inventory_panel(request):
    panel = ops_panel_get()
    return render(request, "inventory/ops_panel.html", {"panel": panel})
