"""``/api/v1/layanan``."""

from ninja import Router

router = Router(tags=["layanan"])
