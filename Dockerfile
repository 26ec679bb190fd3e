# Production image: slim Python, non-root, gunicorn, static files collected at build time.
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 vantage
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# DJANGO_BUILD_ONLY: settings load with throw-away secrets for collectstatic; a server started with it refuses.
RUN DJANGO_DEBUG=false DJANGO_BUILD_ONLY=true python manage.py collectstatic --noinput \
    && chown -R vantage /app/var
USER vantage
EXPOSE 8000
CMD ["gunicorn", "-c", "vantage/gunicorn.conf.py", "vantage.wsgi", "--bind", "0.0.0.0:8000"]
