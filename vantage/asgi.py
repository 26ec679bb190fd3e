"""ASGI entry point, for servers that speak ASGI."""
import os

from django.core.asgi import get_asgi_application

from apps.core.settings_guard import refuse_to_serve_if_build_only

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vantage.settings")
application = get_asgi_application()
refuse_to_serve_if_build_only()
