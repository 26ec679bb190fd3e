"""Per-request context (request id, trace id) visible to logging and error handling.

Stored in contextvars so it follows the request through threads and async code alike.
"""
import contextvars
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
trace_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("trace_id", default="")


def new_request_id() -> str:
    return f"req_{uuid.uuid4().hex[:12]}"


def current_request_id() -> str:
    return request_id_var.get()


def current_trace_id() -> str:
    return trace_id_var.get()


def clear_request_context(**_signal_kwargs) -> None:
    """Forget the finished request's ids so work done later in the same thread is not mislabelled."""
    request_id_var.set("")
    trace_id_var.set("")
