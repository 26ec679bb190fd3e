"""API routes of the catalog app, mounted under /api/ by vantage/urls.py."""
urlpatterns: list = []
