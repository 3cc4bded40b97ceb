"""The hub's refusals: an English `detail` (other tools read it) plus the `code` and `params`
of a `sync.messages.Message`, so the laptop words them in its own language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from sync.messages import Code, Message


class Refusal(HTTPException):
    """An HTTPException whose body also carries the message's code and parameters."""

    def __init__(
        self, status_code: int, message: Message, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(status_code, detail=str(message), headers=headers)
        self.message = message


def body(message: Message, **extra: Any) -> dict[str, Any]:
    return {"detail": str(message), **message.wire(), **extra}


def response(
    status_code: int, message: Message, headers: Mapping[str, str] | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse(body(message, **extra), status_code=status_code, headers=headers)


async def refusal_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refusal)
    return response(exc.status_code, exc.message, exc.headers)


def invalid_request(exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 body (`detail`: the list of errors) with the first one as the message."""
    errors = exc.errors()
    first = errors[0] if errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()))
    message = Message(
        Code.INVALID_REQUEST, {"where": where, "problem": first.get("msg", "invalid")}
    )
    return JSONResponse({"detail": jsonable_encoder(errors), **message.wire()}, status_code=422)
