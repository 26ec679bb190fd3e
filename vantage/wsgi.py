"""WSGI entry point (gunicorn vantage.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vantage.settings")
application = get_wsgi_application()
