"""Staff pages under /ops/ (server-rendered; charts drawn by static/ops/charts.js from JSON embedded in
the page). Each page reads a domain's public selectors, so it shows the same numbers as its
/api/v1/… twin; only staff may open them (others are sent to the admin login)."""
import csv

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.core.errors import ApplicationError, NotFound, ValidationFailed
from apps.experiments import public as experiments
from apps.inventory.public import low_stock_panel_get


def _date_range_or_default(request):
    """A bad range falls back to the last 30 days with the errors shown, rather than a blank page."""
    try:
        return experiments.date_range_from(request.GET), []
    except ValidationFailed as failed:
        return experiments.date_range_from({}), [e.message for e in failed.errors]


@staff_member_required
def ops_index(request):
    overviews = experiments.experiment_overview_list()
    return render(request, "ops/index.html", {
        "low_stock": low_stock_panel_get(),
        "experiments_running": sum(1 for e in overviews if e.status == "running"),
        "experiments_total": len(overviews),
    })


@staff_member_required
def inventory_panel(request):
    return render(request, "ops/inventory.html", {"panel": low_stock_panel_get()})


@staff_member_required
def payment_methods_dashboard(request):
    date_range, errors = _date_range_or_default(request)
    dashboard = experiments.payment_method_dashboard(date_range=date_range)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = (f'attachment; filename="payment-methods-{date_range.start}-'
                                           f'{date_range.end}-{date_range.granularity}.csv"')
        csv.writer(response).writerows(experiments.payment_method_csv_rows(dashboard))
        return response
    methods = sorted({m for point in dashboard["series"] for m in point["orders"]})
    chart = {
        "type": "bar", "format": "number", "title": "Confirmed orders per method",
        "labels": [p["bucket"] for p in dashboard["series"]],
        "series": [{"name": m, "values": [p["orders"].get(m, 0) for p in dashboard["series"]]} for m in methods],
    }
    return render(request, "ops/payment_methods.html", {
        "dashboard": dashboard, "range": date_range, "errors": errors, "chart": chart,
        "query": request.GET.urlencode(),
    })


@staff_member_required
def guest_checkout_monitoring(request):
    date_range, errors = _date_range_or_default(request)
    dashboard = experiments.guest_checkout_dashboard(date_range=date_range)
    labels = [p["bucket"] for p in dashboard["series"]]
    conversion_chart = {"type": "line", "format": "percent", "title": "Guest conversion rate", "labels": labels,
                        "series": [{"name": "conversion", "values": [p["conversion_rate"] for p in
                                                                     dashboard["series"]]}]}
    completion_chart = {"type": "line", "format": "seconds", "title": "Completion time", "labels": labels,
                        "series": [{"name": q, "values": [p["completion_seconds"][q] for p in dashboard["series"]]}
                                   for q in ("p50", "p90", "p99")]}
    return render(request, "ops/guest_checkout.html", {
        "dashboard": dashboard, "range": date_range, "errors": errors,
        "conversion_chart": conversion_chart, "completion_chart": completion_chart,
    })


@staff_member_required
def experiments_index(request):
    return render(request, "ops/experiment_list.html", {"experiments": experiments.experiment_overview_list()})


@staff_member_required
def experiment_detail(request, key: str):
    try:
        results = experiments.experiment_results_get(key_or_id=key)
    except NotFound as error:
        raise Http404(error.message) from error
    funnel = results["funnel"]
    funnel_chart = {
        "type": "bar", "format": "number", "title": "Units reaching each step",
        "labels": [step["step"] for step in funnel[0]["steps"]] if funnel else [],
        "series": [{"name": f["variant"], "values": [s["units"] for s in f["steps"]]} for f in funnel],
    }
    return render(request, "ops/experiment_detail.html", {
        "experiment": results["experiment"], "variants": list(results["experiment"]["planned_allocation"]),
        "results": results, "funnel_chart": funnel_chart,
        "exposed_total": sum(results["exposures"]["units"].values()),
    })


@staff_member_required
@require_POST
def experiment_conclude_view(request, key: str):
    try:
        experiment = experiments.experiment_conclude(key_or_id=key, winner=request.POST.get("winner", ""),
                                                     actor=request.user)
    except NotFound as error:
        raise Http404(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{experiment['experiment_id']} concluded; its flag now serves the winner to 100 %.")
    return redirect("ops:experiment-detail", key=key)
