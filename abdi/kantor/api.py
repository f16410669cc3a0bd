"""``/api/v1/kantor``."""

from ninja import Router

router = Router(tags=["kantor"])
