"""JSON log lines carrying the request and trace ids, with secrets redacted at every level.

Redaction happens where records are born: `install_redacting_record_factory()` (called once at
start-up) wraps the log-record factory, so every handler — the console, pytest's caplog, an error
tracker — receives records whose message and traceback no longer hold a Stripe client secret or
key: they read `cs_***`. `SecretRedactionFilter` stays on the console handler as a second guard.
"""
import json
import logging
import re
from datetime import UTC, datetime

from .context import current_request_id, current_trace_id

# Stripe client secrets look like `pi_xxx_secret_yyy` / `seti_xxx_secret_yyy`; API keys like
# `sk_live_...`/`rk_test_...`; webhook secrets `whsec_...`.
SECRET_PATTERNS = [
    re.compile(r"\b(?:pi|seti|cs)_[A-Za-z0-9_]*?_secret_[A-Za-z0-9]+"),
    re.compile(r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9_]+"),
    re.compile(r"\bwhsec_[A-Za-z0-9_]+"),
]
REDACTED = "cs_***"


def redact(text: str) -> str:
    for pattern in SECRET_PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Rewrite the formatted message and traceback so secrets in args or exceptions cannot slip past."""
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a malformed %-format: logging reports it later, as it always does
        return record
    redacted = redact(message)
    if redacted != message:
        record.msg, record.args = redacted, None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    return record


class SecretRedactionFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def install_redacting_record_factory() -> None:
    base_factory = logging.getLogRecordFactory()
    if getattr(base_factory, "redacts_secrets", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        return redact_record(base_factory(*args, **kwargs))

    factory.redacts_secrets = True
    logging.setLogRecordFactory(factory)


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        record.trace_id = current_trace_id()
        return True


STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line; extra= fields are kept as top-level keys."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or current_request_id(),
            "trace_id": getattr(record, "trace_id", "") or current_trace_id(),
        }
        for key, value in vars(record).items():
            if key not in STANDARD_ATTRS and key not in payload:
                payload[key] = value
        if record.exc_info or record.exc_text:
            payload["exception"] = record.exc_text or self.formatException(record.exc_info)
        return redact(json.dumps(payload, default=str))
