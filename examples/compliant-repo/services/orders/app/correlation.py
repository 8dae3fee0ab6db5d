"""One correlation ID per request, in the X-Request-ID header and in every log record."""

import logging
import uuid
from contextvars import ContextVar

from fastapi import FastAPI, Request

correlation_id: ContextVar[str] = ContextVar("correlation_id", default="-")


class CorrelationIdFilter(logging.Filter):
    """Adds the current request's correlation ID to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = correlation_id.get()
        return True


def add_correlation_ids(app: FastAPI) -> None:
    """Take the caller's X-Request-ID or make one, and send it back."""
    logging.getLogger("orders").addFilter(CorrelationIdFilter())

    @app.middleware("http")
    async def correlate(request: Request, call_next):
        token = correlation_id.set(request.headers.get("X-Request-ID") or uuid.uuid4().hex)
        try:
            response = await call_next(request)
            response.headers["X-Request-ID"] = correlation_id.get()
            return response
        finally:
            correlation_id.reset(token)
