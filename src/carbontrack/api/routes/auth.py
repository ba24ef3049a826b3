"""Registration and log-in."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from carbontrack.api.deps import ClientAddress, SettingsDep, StoreDep
from carbontrack.api.responses import model_response
from carbontrack.api.schemas import LoginIn, RegisterIn, TokenOut, UserOut
from carbontrack.domain.errors import InvalidInput
from carbontrack.services import accounts

router = APIRouter(prefix="/api", tags=["accounts"])

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@router.post("/register", status_code=201, response_model=UserOut)
def register(
    body: RegisterIn, store: StoreDep, settings: SettingsDep, client: ClientAddress
) -> Response:
    """Create an account: 409 if the email is taken (in any case); 429 past the sign-up limit."""
    user = accounts.sign_up(
        store=store,
        settings=settings,
        client=client,
        email=str(body.email),
        password=body.password,
        name=body.name,
    )
    return model_response(UserOut, user, status_code=201)


async def _login_input(request: Request) -> LoginIn:
    """JSON {email, password}, or the OAuth2 password form (username, password) of /docs."""
    try:
        if request.headers.get("content-type", "").startswith(FORM_TYPES):
            form = await request.form()
            return LoginIn(
                email=str(form.get("username", "")), password=str(form.get("password", ""))
            )
        return LoginIn.model_validate_json(await request.body())
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        message = f"{field}: {first['msg']}" if field else first["msg"]
        raise InvalidInput(message, field=field) from None


@router.post(
    "/login",
    response_model=TokenOut,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": LoginIn.model_json_schema()},
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "username": {"type": "string"},
                            "password": {"type": "string"},
                        },
                        "required": ["username", "password"],
                    }
                },
            },
            "required": True,
        }
    },
)
async def login(
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
    client: ClientAddress,
) -> TokenOut:
    """Exchange email and password for a bearer token (RFC 6749 password grant shape)."""
    data = await _login_input(request)
    # async only to read a JSON-or-form body; the argon2 check runs off the event loop.
    token = await run_in_threadpool(
        accounts.login,
        store=store,
        settings=settings,
        email=data.email,
        password=data.password,
        client=client,
    )
    response.headers["Cache-Control"] = "no-store"
    return TokenOut(access_token=token.token, expires_in=token.expires_in_s)
