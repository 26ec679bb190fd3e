"""OpenTelemetry set up once per process: always a real SDK tracer (so spans and trace ids
exist for logs and `X-Trace-ID`), exporting over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is set.

Spans are recorded only while a span processor is attached (the exporter's, or a test's in-memory one):
without one, a span is only its context (the trace id logs, `X-Trace-ID` and Stripe's metadata carry),
not an object filled with attributes and events that nobody reads. That is most of the SDK's cost in a
request, and it would be paid for nothing when no exporter is configured.
"""
import threading

from django.conf import settings
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import DEFAULT_ON, Decision, Sampler, SamplingResult

_configured = threading.Lock()
_done = False


class RecordWhileExported(Sampler):
    """The SDK's default sampler while the provider has a span processor; otherwise DROP, which still
    gives every span a valid (unsampled) context."""

    def __init__(self):
        self.provider: TracerProvider | None = None

    def should_sample(self, parent_context, trace_id, name, kind=None, attributes=None, links=None,
                      trace_state=None) -> SamplingResult:
        if self.provider is None or not self.provider._active_span_processor._span_processors:
            return SamplingResult(Decision.DROP)
        return DEFAULT_ON.should_sample(parent_context, trace_id, name, kind, attributes, links, trace_state)

    def get_description(self) -> str:
        return "RecordWhileExported"


def configure() -> None:
    global _done
    with _configured:
        if _done:
            return
        sampler = RecordWhileExported()
        provider = TracerProvider(resource=Resource.create({"service.name": settings.OTEL_SERVICE_NAME}),
                                  sampler=sampler)
        sampler.provider = provider
        if settings.OTEL_EXPORTER_OTLP_ENDPOINT:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            endpoint = settings.OTEL_EXPORTER_OTLP_ENDPOINT.rstrip("/") + "/v1/traces"
            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
        trace.set_tracer_provider(provider)
        from opentelemetry.instrumentation.django import DjangoInstrumentor

        if not DjangoInstrumentor().is_instrumented_by_opentelemetry:
            DjangoInstrumentor().instrument()
        _done = True


def get_tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)


def current_trace_id_hex() -> str:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else ""
