"""pytest plugin (registered in the root conftest.py): span capture for payment tests.

`payment_spans` yields an InMemorySpanExporter attached to the global tracer provider.
"""
import pytest


@pytest.fixture(scope="session")
def _span_exporter():
    from opentelemetry import trace
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from apps.core import tracing

    tracing.configure()
    exporter = InMemorySpanExporter()
    trace.get_tracer_provider().add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


@pytest.fixture
def payment_spans(_span_exporter):
    """Finished spans of this test (`payment_spans.get_finished_spans()`)."""
    _span_exporter.clear()
    yield _span_exporter
    _span_exporter.clear()
