"""Ops dashboards under /ops/ (staff only, server-rendered; charts drawn by static/experiments/charts.js
from JSON embedded in the page). Each page shows the same numbers its /api/v1/analytics/… twin returns."""
import csv

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.core.errors import ApplicationError, ValidationFailed

from .errors import ExperimentNotFound
from .selectors.common import date_range_from
from .selectors.experiments import experiment_get, experiment_list, experiment_results
from .selectors.guest_checkout import guest_checkout_dashboard
from .selectors.payments import payment_method_csv_rows, payment_method_dashboard
from .services.experiments import experiment_conclude


def _date_range_or_default(request):
    try:
        return date_range_from(request.GET), []
    except ValidationFailed as failed:
        return date_range_from({}), [e.message for e in failed.errors]


@staff_member_required
def payment_methods_dashboard(request):
    date_range, errors = _date_range_or_default(request)
    dashboard = payment_method_dashboard(date_range=date_range)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = (f'attachment; filename="payment-methods-{date_range.start}-'
                                           f'{date_range.end}-{date_range.granularity}.csv"')
        csv.writer(response).writerows(payment_method_csv_rows(dashboard))
        return response
    methods = sorted({m for point in dashboard["series"] for m in point["orders"]})
    chart = {
        "type": "bar", "format": "number", "title": "Confirmed orders per method",
        "labels": [p["bucket"] for p in dashboard["series"]],
        "series": [{"name": m, "values": [p["orders"].get(m, 0) for p in dashboard["series"]]} for m in methods],
    }
    return render(request, "experiments/payment_methods.html", {
        "dashboard": dashboard, "range": date_range, "errors": errors, "chart": chart,
        "query": request.GET.urlencode(),
    })


@staff_member_required
def guest_checkout_monitoring(request):
    date_range, errors = _date_range_or_default(request)
    dashboard = guest_checkout_dashboard(date_range=date_range)
    labels = [p["bucket"] for p in dashboard["series"]]
    conversion_chart = {"type": "line", "format": "percent", "title": "Guest conversion rate", "labels": labels,
                        "series": [{"name": "conversion", "values": [p["conversion_rate"] for p in
                                                                     dashboard["series"]]}]}
    completion_chart = {"type": "line", "format": "seconds", "title": "Completion time", "labels": labels,
                        "series": [{"name": q, "values": [p["completion_seconds"][q] for p in dashboard["series"]]}
                                   for q in ("p50", "p90", "p99")]}
    return render(request, "experiments/guest_checkout.html", {
        "dashboard": dashboard, "range": date_range, "errors": errors,
        "conversion_chart": conversion_chart, "completion_chart": completion_chart,
    })


def _experiment_or_404(key: str):
    try:
        return experiment_get(key_or_id=key)
    except ExperimentNotFound as error:
        raise Http404(error.message) from error


@staff_member_required
def experiments_index(request):
    return render(request, "experiments/experiment_list.html", {"experiments": experiment_list()})


@staff_member_required
def experiment_detail(request, key: str):
    experiment = _experiment_or_404(key)
    results = experiment_results(experiment=experiment)
    funnel_chart = {
        "type": "bar", "format": "number", "title": "Units reaching each step",
        "labels": experiment.funnel_events,
        "series": [{"name": f["variant"], "values": [s["units"] for s in f["steps"]]} for f in results["funnel"]],
    }
    return render(request, "experiments/experiment_detail.html", {
        "experiment": experiment, "results": results, "funnel_chart": funnel_chart,
    })


@staff_member_required
@require_POST
def experiment_conclude_view(request, key: str):
    experiment = _experiment_or_404(key)
    try:
        experiment_conclude(experiment=experiment, winner=request.POST.get("winner", ""), actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{experiment.experiment_id} concluded; its flag now serves the winner to 100 %.")
    return redirect("experiments:experiment-detail", key=experiment.key)
