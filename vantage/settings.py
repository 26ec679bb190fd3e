"""Settings, read from the environment only (12-factor).

Every variable has a line in `.env.example`. Development defaults of secrets apply only with
DJANGO_DEBUG=true: with DJANGO_DEBUG=false a missing or development secret stops the process at start
(apps/core/settings_guard.py), and `manage.py check --deploy` reports them too.
"""
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

from apps.core.settings_guard import secret_from_env

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# The image build's collectstatic only: throw-away secrets, and the entry points refuse to serve.
BUILD_ONLY = env.bool("DJANGO_BUILD_ONLY", default=False)
SECRET_KEY = secret_from_env("DJANGO_SECRET_KEY", debug=DEBUG, build_only=BUILD_ONLY)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_prometheus",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "axes",
    "csp",
    "apps.core",
    "apps.events",
    "apps.catalog",
    "apps.accounts",
    "apps.shipping",
    "apps.checkout",
    "apps.payments",
    "apps.inventory",
    "apps.returns",
    "apps.experiments",
    "apps.ops",
    "apps.tax",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "apps.core.middleware.RequestContextMiddleware",
    "apps.core.middleware.ApiSecurityHeadersMiddleware",
    "apps.core.middleware.ApiErrorMiddleware",
    "apps.core.input_guards.ControlCharacterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "apps.core.middleware.BodySizeLimitMiddleware",
    "apps.core.input_guards.JsonDepthLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vantage.urls"
WSGI_APPLICATION = "vantage.wsgi.application"
ASGI_APPLICATION = "vantage.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.checkout.context_processors.shopper_cart_count",
                "apps.experiments.context_processors.visitor_flags",
                "apps.returns.context_processors.returns_links",
            ],
        },
    },
]

# PostgreSQL only. `make run` and `make test` start an embedded server when nothing answers locally
# (devtools/embedded.py).
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/vantage")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Server-side parameters and prepared statements: PostgreSQL parses and plans a statement once per
# connection instead of on every execution (a checkout's statements cost the server ~40 % less CPU,
# benchmarks/checkout.py), and psycopg sends parameters as they are instead of quoting them into the SQL.
# Needs a direct connection or a pooler that keeps prepared statements per client (as does the outbox
# relay's session-level advisory lock, README "Beat").
DATABASES["default"].setdefault("OPTIONS", {}).update(
    server_side_binding=True, prepare_threshold=env.int("DATABASE_PREPARE_THRESHOLD", default=5))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "SOCKET_CONNECT_TIMEOUT": 1,
            "SOCKET_TIMEOUT": 1,
        },
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="vantage"),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- HTTP security -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
TRUST_X_FORWARDED_PROTO = env.bool("TRUST_X_FORWARDED_PROTO", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUST_X_FORWARDED_PROTO else None
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy on every response (django-csp): only the site's own scripts, styles, images and
# fonts; an inline <script>/<style> runs only with the request's nonce (`request.csp_nonce`, added to the
# header when a template uses it). Pages that load Stripe.js add Stripe's origins for themselves
# (apps/checkout/card_collection.py `stripe_js_csp`), so no other page may talk to or frame Stripe.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Global ceiling on any request body; API routes have a tighter per-route limit (8 KB default).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=8 * 1024)
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SERVICE_AUTH_TOKENS = [token.strip() for token in secret_from_env(
    "SERVICE_AUTH_TOKENS", debug=DEBUG, build_only=BUILD_ONLY).split(",") if token.strip()]
IDEMPOTENCY_KEY_TTL_SECONDS = env.int("IDEMPOTENCY_KEY_TTL_SECONDS", default=24 * 3600)

# The seed's API gateway (Kong) CORS plugin on the checkout routes: these origins, preflights cached 1 h.
CORS_ALLOWED_ORIGINS = env.list(
    "CORS_ALLOWED_ORIGINS", default=["https://www.vantage.com", "https://staging.vantage.com"]
)
CORS_PREFLIGHT_MAX_AGE = env.int("CORS_PREFLIGHT_MAX_AGE", default=3600)
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = (
    "accept", "authorization", "content-type", "idempotency-key", "if-match", "x-request-id",
)
CORS_EXPOSE_HEADERS = (
    "x-request-id", "x-trace-id", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset",
    "retry-after", "idempotent-replayed", "etag",
)

# --- REST framework and OpenAPI ------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.catalog.auth.MerchantTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["apps.core.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "apps.core.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "apps.core.schema_constraints.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Vantage Commerce API",
    "DESCRIPTION": "Guest checkout, payments, inventory alerts, returns and experiments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge from validator.swagger.io: the docs page's Content-Security-Policy allows the site's images only.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
    # The guest session endpoints check `Authorization: Bearer <session_token>` in the view (no DRF
    # authentication class to describe it), so the scheme is declared here and named per operation.
    "APPEND_COMPONENTS": {"securitySchemes": {"guestSessionToken": {
        "type": "http", "scheme": "bearer", "bearerFormat": "guest_session_tok_<32 URL-safe characters>",
        "description": "The session_token answered by POST /api/v2/checkout/guest/session; a missing or wrong "
                       "token is 401 SESSION_TOKEN_INVALID."}}},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "apps.core.schema.error_responses_document",
                             "apps.core.schema_constraints.constraints_document"],
}

# --- Celery -------------------------------------------------------------------------------
# Database 1 of the REDIS_URL server unless set: the broker follows an embedded Redis to its port.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL.rsplit("/", 1)[0] + "/1")
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# django-celery-beat's DatabaseScheduler behind a PostgreSQL advisory lock: one beat sends at a time
# (system check core.E001 refuses any other scheduler).
CELERY_BEAT_SCHEDULER = "apps.core.beat:LockedDatabaseScheduler"
BEAT_STANDBY_POLL_SECONDS = env.int("BEAT_STANDBY_POLL_SECONDS", default=5)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 1}
# kombu's Redis transport with the fix that keeps a worker alive when the broker restarts (the module
# says why); other brokers (the tests' memory://) keep their own transport. A rediss:// URL names its TLS
# checks in the query (`?ssl_cert_reqs=required`, as deploy/k8s's does).
if CELERY_BROKER_URL.split("://", 1)[0] in ("redis", "rediss"):
    CELERY_BROKER_TRANSPORT = "apps.core.celery_transport:Transport"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # keep the JSON log lines (with ids and redaction) in workers too

# --- Kafka --------------------------------------------------------------------------------
KAFKA_BOOTSTRAP_SERVERS = env("KAFKA_BOOTSTRAP_SERVERS", default="127.0.0.1:9092")
KAFKA_TOPIC_PARTITIONS = env.int("KAFKA_TOPIC_PARTITIONS", default=3)
# Replicas of each topic this system creates: 1 for the single local broker, 3 on a production cluster.
KAFKA_REPLICATION_FACTOR = env.int("KAFKA_REPLICATION_FACTOR", default=1)
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=500)
OUTBOX_RELAY_INTERVAL_SECONDS = env.int("OUTBOX_RELAY_INTERVAL_SECONDS", default=5)

# --- Third parties ------------------------------------------------------------------------
STRIPE_SECRET_KEY = secret_from_env("STRIPE_SECRET_KEY", debug=DEBUG, build_only=BUILD_ONLY)
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="pk_test_local")
STRIPE_WEBHOOK_SECRET = secret_from_env("STRIPE_WEBHOOK_SECRET", debug=DEBUG, build_only=BUILD_ONLY)
STRIPE_API_BASE = env("STRIPE_API_BASE", default="https://api.stripe.com")
# Checkout card collection: auto | stripe (Stripe.js from js.stripe.com) | local (card-token.js test stand-in);
# auto = stripe when STRIPE_API_BASE is Stripe's and the publishable key is real (apps/checkout/card_collection.py).
STRIPE_JS_MODE = env("STRIPE_JS_MODE", default="auto")
GUEST_SESSION_TTL_SECONDS = env.int("GUEST_SESSION_TTL_SECONDS", default=900)
CART_TTL_SECONDS = env.int("CART_TTL_SECONDS", default=7 * 24 * 3600)
# Delivery windows count business days (Mon-Fri) from the hand-over day: orders placed at or after this hour
# (local time in SHIPPING_TIMEZONE), or on a weekend, are handed over the next business day. Checked at start-up.
SHIPPING_CUTOFF_HOUR = env.int("SHIPPING_CUTOFF_HOUR", default=14)
SHIPPING_TIMEZONE = env("SHIPPING_TIMEZONE", default="America/New_York")
EXPRESS_CHECKOUT_WINDOW_SECONDS = env.int("EXPRESS_CHECKOUT_WINDOW_SECONDS", default=5)
EXPRESS_CHECKOUT_STATE_TTL_SECONDS = env.int("EXPRESS_CHECKOUT_STATE_TTL_SECONDS", default=900)
CHECKOUT_PENDING_ORDER_TIMEOUT_SECONDS = env.int("CHECKOUT_PENDING_ORDER_TIMEOUT_SECONDS", default=1800)
# pending this long (with an intent) → the settle job asks Stripe where the payment stands
CHECKOUT_PENDING_SETTLE_AFTER_SECONDS = env.int("CHECKOUT_PENDING_SETTLE_AFTER_SECONDS", default=900)
PAYMENT_GATEWAY_TIMEOUT_MS = env.int("PAYMENT_GATEWAY_TIMEOUT_MS", default=8000)
PAYMENT_GATEWAY_MAX_RETRIES = env.int("PAYMENT_GATEWAY_MAX_RETRIES", default=3)
# Waits before retry 1, 2, 3 (seconds); tests shrink them, the shape stays 1 s / 2 s / 4 s.
PAYMENT_GATEWAY_BACKOFF_SECONDS = env.list("PAYMENT_GATEWAY_BACKOFF_SECONDS", cast=float, default=[1.0, 2.0, 4.0])
PAYMENT_GATEWAY_RETRY_AFTER_SECONDS = env.int("PAYMENT_GATEWAY_RETRY_AFTER_SECONDS", default=2)
PAYMENT_BREAKER_FAIL_MAX = env.int("PAYMENT_BREAKER_FAIL_MAX", default=5)
PAYMENT_BREAKER_RESET_SECONDS = env.int("PAYMENT_BREAKER_RESET_SECONDS", default=30)
# How long a process trusts its last reading of a quiet breaker (closed, no failures) before reading Redis
# again: a breaker another process opened is seen up to this much later (a local failure re-reads at once).
PAYMENT_BREAKER_QUIET_CACHE_MS = env.int("PAYMENT_BREAKER_QUIET_CACHE_MS", default=500)
APPLE_PAY_ENABLED = env.bool("APPLE_PAY_ENABLED", default=True)
# Contents of Apple's domain association file (download it from the Stripe dashboard); empty = 404.
APPLE_PAY_DOMAIN_ASSOCIATION = env("APPLE_PAY_DOMAIN_ASSOCIATION", default="")
PAGERDUTY_EVENTS_URL = env("PAGERDUTY_EVENTS_URL", default="https://events.pagerduty.com/v2/enqueue")
PAGERDUTY_ROUTING_KEY = env("PAGERDUTY_ROUTING_KEY", default="")
WEBHOOKS_ALLOW_PRIVATE_NETWORKS = env.bool("WEBHOOKS_ALLOW_PRIVATE_NETWORKS", default=False)
LOW_STOCK_DIGEST_RECIPIENTS = env.list("LOW_STOCK_DIGEST_RECIPIENTS", default=[])
LABEL_PROVIDER = env("LABEL_PROVIDER", default="local_pdf")
EASYPOST_API_KEY = env("EASYPOST_API_KEY", default="")
EASYPOST_API_BASE = env("EASYPOST_API_BASE", default="https://api.easypost.com/v2")
EASYPOST_WEBHOOK_SECRET = env("EASYPOST_WEBHOOK_SECRET", default="")
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
# Returns: window, flag fallback, label links, warehouse, reconciliation thresholds.
RETURN_WINDOW_DAYS = env.int("RETURN_WINDOW_DAYS", default=30)
SELF_SERVICE_RETURNS_ENABLED = env.bool("SELF_SERVICE_RETURNS_ENABLED", default=False)
RETURN_LABEL_URL_TTL_SECONDS = env.int("RETURN_LABEL_URL_TTL_SECONDS", default=7 * 24 * 3600)
RETURNS_WAREHOUSE_ADDRESS = env.json("RETURNS_WAREHOUSE_ADDRESS", default={
    "name": "Vantage Returns Center", "line1": "500 Logistics Way", "city": "Columbus", "state": "OH",
    "zip": "43217", "country": "US"})
RETURN_LABEL_STUCK_MINUTES = env.int("RETURN_LABEL_STUCK_MINUTES", default=15)
RETURN_REFUND_OVERDUE_HOURS = env.int("RETURN_REFUND_OVERDUE_HOURS", default=24)
RETURN_ORPHAN_LABEL_LOOKBACK_DAYS = env.int("RETURN_ORPHAN_LABEL_LOOKBACK_DAYS", default=14)
RETURN_ORPHAN_LABEL_GRACE_MINUTES = env.int("RETURN_ORPHAN_LABEL_GRACE_MINUTES", default=15)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["PaymentMethodTypeEnum"] = "apps.payments.interface.PAYMENT_METHOD_TYPES"
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["ReturnStatusEnum"] = "apps.returns.models.ReturnStatus"
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["ReturnReasonEnum"] = "apps.returns.models.ReturnReason"
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["OrderStatusEnum"] = "apps.checkout.models.Order.Status"
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["MerchantOrderStatusEnum"] = \
    "apps.checkout.selectors.MERCHANT_ORDER_STATUSES"
if AWS_STORAGE_BUCKET_NAME:
    # Return labels (and other media) in S3 through django-storages; URLs are presigned and expire.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage",
                           "OPTIONS": {"bucket_name": AWS_STORAGE_BUCKET_NAME, "querystring_auth": True,
                                       "file_overwrite": False, "default_acl": None}}
OUTBOUND_HTTP_TIMEOUT_SECONDS = env.float("OUTBOUND_HTTP_TIMEOUT_SECONDS", default=10.0)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Vantage Commerce <no-reply@vantage.example>")
# Shopper emails: the brand they are signed with and the shop's public address for their links.
EMAIL_BRAND_NAME = env("EMAIL_BRAND_NAME", default="Vantage Commerce")
SHOP_BASE_URL = env("SHOP_BASE_URL", default="http://localhost:8000").rstrip("/")

# --- Feature flags and experiments -------------------------------------------------------
DEPLOY_REGION = env("DEPLOY_REGION", default="us-east-1")  # the `region` attribute flag rules target
FLAGS_CACHE_CHECK_MS = env.int("FLAGS_CACHE_CHECK_MS", default=500)
FLAGS_CACHE_MAX_AGE_SECONDS = env.int("FLAGS_CACHE_MAX_AGE_SECONDS", default=60)
FLAGS_CACHE_REDIS_DOWN_RELOAD_SECONDS = env.int("FLAGS_CACHE_REDIS_DOWN_RELOAD_SECONDS", default=10)
EXPERIMENT_SRM_ALPHA = env.float("EXPERIMENT_SRM_ALPHA", default=0.001)

# --- Tax ----------------------------------------------------------------------------------
# table = the rates in the ops admin (per country, US state, ZIP prefix); stripe = Stripe Tax through STRIPE_API_BASE.
TAX_PROVIDER = env("TAX_PROVIDER", default="table")
# Per-attempt timeout of a Stripe Tax call (a quote is retried once, right away, on a transient failure).
TAX_PROVIDER_TIMEOUT_MS = env.int("TAX_PROVIDER_TIMEOUT_MS", default=4000)
TAX_SERVICE_RETRY_AFTER_SECONDS = env.int("TAX_SERVICE_RETRY_AFTER_SECONDS", default=5)

# --- Observability ------------------------------------------------------------------------
OTEL_EXPORTER_OTLP_ENDPOINT = env("OTEL_EXPORTER_OTLP_ENDPOINT", default="")
OTEL_SERVICE_NAME = env("OTEL_SERVICE_NAME", default="vantage")
# Bearer token Prometheus must send to /metrics; empty = open (local runs). See deploy/prometheus/scrape.yml.
METRICS_AUTH_TOKEN = env("METRICS_AUTH_TOKEN", default="")
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
# The Stripe SDK logs two INFO lines per API call (request, response code): as much CPU as a twentieth of a
# guest checkout, for what the payment row and the `checkout.guest.payment_handoff` span already record.
# STRIPE_LOG_LEVEL=INFO brings them back; DEBUG counts as INFO (the SDK's DEBUG lines carry response bodies).
STRIPE_LOG_LEVEL = env("STRIPE_LOG_LEVEL", default="WARNING").upper().replace("DEBUG", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_context": {"()": "apps.core.logging.RequestContextFilter"},
        "redact_secrets": {"()": "apps.core.logging.SecretRedactionFilter"},
    },
    "formatters": {"json": {"()": "apps.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_context", "redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "stripe": {"level": STRIPE_LOG_LEVEL},
    },
}

# --- Shopper accounts (django-allauth) and sign-in limits (django-axes) ----------------------
# Signing up proves the email: nothing is attached to an account (past guest orders, returns) until
# the signed, expiring link sent to that address is followed (apps/accounts/public.py).
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out client or username before any check
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "apps.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "apps.accounts.forms.ShopLoginForm", "signup": "apps.accounts.forms.ShopSignupForm",
                 "reset_password": "apps.accounts.forms.ShopResetPasswordForm",
                 "reset_password_from_key": "apps.accounts.forms.ShopResetPasswordKeyForm"}
# The email is the username for shoppers; staff and the demo merchant sign in with their username.
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_CONFIRMATION_HMAC = True  # the link's key is signed, so it cannot be guessed or altered
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = env.int("ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS", default=3)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SESSION_REMEMBER = True  # sessions last SESSION_COOKIE_AGE, as before allauth (no "remember me" box)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Vantage Commerce: "
# Per-address limits stay allauth's (they protect the recipient's inbox); per-client limits on signup and
# password reset are the project's Redis limiter (apps/accounts/urls.py), failed sign-ins are django-axes'.
ACCOUNT_RATE_LIMITS = {"login": False, "login_failed": False, "signup": False, "reset_password": False,
                       "confirm_email": "1/3m/key", "reset_password_email": "5/m/key",
                       "reset_password_from_key": "20/m/ip", "change_password": "5/m/user"}
PAGE_RATE_LIMITS = {  # POSTs per client IP per minute on these pages (showing the form is free)
    "signup": env.int("SIGNUP_RATE_LIMIT_PER_MINUTE", default=5),
    "password_reset": env.int("ACCOUNT_RESET_RATE_LIMIT_PER_MINUTE", default=5),
    "returns_start": env.int("RETURNS_LOOKUP_RATE_LIMIT_PER_MINUTE", default=10),
}
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # either one alone locks: per client and per username
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lockout ends 15 minutes after it began
AXES_CLIENT_IP_CALLABLE = "apps.accounts.lockout.attempted_client_ip"  # apps.core.client_ip, as the API limits
AXES_USERNAME_CALLABLE = "apps.accounts.lockout.attempted_username"
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"
AXES_VERBOSE = False
