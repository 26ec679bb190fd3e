"""Small views that exercise the core HTTP layer in tests (mounted only by tests' URLconf)."""
import time

from django.db import connection, transaction
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import ApplicationError
from apps.core.idempotency import IdempotencyMixin
from apps.core.ratelimit import RateLimit, RateLimitMixin
from apps.core.redis import get_redis
from apps.core.service_auth import HasServiceAuth

HANDLER_RUNS_KEY = "test:handler_runs"


class EchoApi(RateLimitMixin, IdempotencyMixin, APIView):
    rate_limit = RateLimit(scope="test_echo", limit=10)
    idempotency_scope = "test_echo"

    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        note = serializers.CharField(required=False, allow_blank=True)
        slow = serializers.FloatField(required=False, default=0)

    error_constraints = {"email": "RFC 5322 compliant email required"}

    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        runs = get_redis().incr(HANDLER_RUNS_KEY)
        time.sleep(data.validated_data["slow"])
        return Response({"echo": data.validated_data["email"], "run": runs}, status=201)


class BigBodyApi(APIView):
    max_body_bytes = 64 * 1024

    def post(self, request):
        return Response({"size": len(request.body)})


class BoomApi(APIView):
    def get(self, request):
        raise RuntimeError("boom with secret pi_123_secret_abc")


class TeapotApi(APIView):
    def get(self, request):
        raise ApplicationError("I am a teapot.", code="TEAPOT", status_code=418)


class InternalApi(APIView):
    permission_classes = [HasServiceAuth]

    def get(self, request):
        return Response({"ok": True})


class StatementTimeoutApi(APIView):
    """A query PostgreSQL cancels (statement timeout): an OperationalError that retrying does not fix."""

    def get(self, request):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 1")
            cursor.execute("SELECT pg_sleep(1)")
        return Response({})
