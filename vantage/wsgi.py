"""WSGI entry point (gunicorn vantage.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

from apps.core.settings_guard import refuse_to_serve_if_build_only

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vantage.settings")
application = get_wsgi_application()
refuse_to_serve_if_build_only()
