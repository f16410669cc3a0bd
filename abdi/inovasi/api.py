"""``/api/v1/inovasi``."""

from ninja import Router

router = Router(tags=["inovasi"])
