"""Root URLconf: each domain app mounts its API under /api/ and its pages at /; the staff pages of
every domain are the ops app's, under /ops/."""
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.core.health import healthz
from apps.core.merchant_portal import merchant_site
from apps.core.metrics import metrics_view

APPS_WITH_API = ("checkout", "payments", "inventory", "returns", "experiments")
APPS_WITH_PAGES = ("catalog", "checkout", "payments", "returns")

# The APIs first: Django tries patterns in order and OpenTelemetry resolves each request's path once more
# for its span name, so the busiest routes are matched without walking the admin's and the pages' first.
urlpatterns = [path("api/", include(f"apps.{app}.api.urls")) for app in APPS_WITH_API]
urlpatterns += [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    path("merchant/", merchant_site.urls),
    path("accounts/", include("apps.accounts.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("ops/", include("apps.ops.urls")),
]
urlpatterns += [path("", include(f"apps.{app}.urls")) for app in APPS_WITH_PAGES]
