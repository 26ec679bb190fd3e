"""Root URLconf: each app mounts its API under /api/ and its pages at /."""
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.catalog.public import merchant_site
from apps.core.health import healthz
from apps.core.metrics import metrics_view

APPS_WITH_ROUTES = ("catalog", "checkout", "payments", "inventory", "returns", "experiments")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    path("merchant/", merchant_site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]
for app in APPS_WITH_ROUTES:
    urlpatterns += [path("api/", include(f"apps.{app}.api.urls")), path("", include(f"apps.{app}.urls"))]
