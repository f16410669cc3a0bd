"""``/api/v1/accounts``: who am I, citizen sign-up, API tokens."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from abdi.core.exceptions import DomainError
from abdi.organisations.access import employee_of, roles_of
from abdi.organisations.services import citizen_register

from . import services
from .rules import normalise_citizen_identifier
from .throttling import check_rate, neutral_registration_error

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    name: str
    roles: list[str]
    employee_id: str | None = None
    citizen_id: str | None = None


class CitizenRegisterIn(Schema):
    identifier: str = Field(..., description="Email address or Indonesian mobile number")
    password: str = Field(..., min_length=8, max_length=128)
    name: str = Field(..., min_length=1, max_length=200)
    nik: str = Field(..., max_length=20)


class CitizenOut(Schema):
    public_id: str
    name: str
    masked_nik: str
    username: str


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)


class TokenOut(Schema):
    name: str
    prefix: str
    token: str = Field(..., description="Shown once; store it safely.")
    created_at: datetime


@router.get("/me", response=MeOut, operation_id="me")
def me(request: HttpRequest) -> Any:
    """Return the signed-in account and its roles."""
    user: Any = request.user
    employee = employee_of(user)
    citizen = getattr(user, "citizen", None)
    return {
        "username": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
        "roles": sorted(roles_of(user)),
        "employee_id": str(employee.public_id) if employee else None,
        "citizen_id": str(citizen.public_id) if citizen else None,
    }


@router.post("/citizens", response={201: CitizenOut}, auth=None, operation_id="citizen_register")
def citizen_create(request: HttpRequest, payload: CitizenRegisterIn) -> Any:
    """Register a citizen account; the NIK is validated.

    A taken NIK and a taken identifier get the same refusal (``registration.refused``), and
    each address may try ``ABDI_REGISTRATION_RATE`` times (then ``rate_limited``, 429).
    """
    check_rate(request, "accounts.register")
    identifier = normalise_citizen_identifier(payload.identifier)
    services.validate_new_password(payload.password, identifier=identifier)
    try:
        citizen = citizen_register(
            username=identifier,
            password=payload.password,
            name=payload.name,
            nik=payload.nik,
            email=identifier if "@" in identifier else "",
            phone="" if "@" in identifier else identifier,
        )
    except DomainError as exc:
        raise neutral_registration_error(exc) from exc
    return {
        "public_id": str(citizen.public_id),
        "name": citizen.name,
        "masked_nik": citizen.masked_nik,
        "username": citizen.user.username,
    }


@router.post("/tokens", response={201: TokenOut}, operation_id="token_create")
def token_create(request: HttpRequest, payload: TokenIn) -> Any:
    """Create an API token for yourself; the raw token is returned only this once."""
    token, raw = services.api_token_create(actor=request.user, name=payload.name)
    return {
        "name": token.name,
        "prefix": token.prefix,
        "token": raw,
        "created_at": token.created_at,
    }
