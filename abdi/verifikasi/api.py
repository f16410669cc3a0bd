"""``/api/v1/verifikasi``."""

from ninja import Router

router = Router(tags=["verifikasi"])
