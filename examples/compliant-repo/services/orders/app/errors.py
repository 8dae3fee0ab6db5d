"""Errors as RFC 7807 Problem Details, logged with the request's correlation ID."""

import logging

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("orders")


def problem(request: Request, status: int, title: str, detail: str | None = None) -> JSONResponse:
    """A Problem Details body for `request`; `detail` is written for the client."""
    body = {"type": "about:blank", "title": title, "status": status, "instance": request.url.path}
    if detail is not None:
        body["detail"] = detail
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def register_problem_handlers(app: FastAPI) -> None:
    """Answer every error of `app` as application/problem+json."""

    @app.exception_handler(HTTPException)
    async def http_problem(request: Request, exc: HTTPException) -> JSONResponse:
        return problem(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_problem(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem(request, 422, "Invalid request", f"{len(exc.errors())} invalid field(s)")

    @app.exception_handler(Exception)
    async def unexpected_problem(request: Request, exc: Exception) -> JSONResponse:
        # The exception stays in the log, with the correlation ID; the client gets a fixed message.
        logger.exception("unhandled error on %s", request.url.path)
        return problem(request, 500, "Internal error")
