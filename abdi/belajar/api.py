"""``/api/v1/belajar``."""

from ninja import Router

router = Router(tags=["belajar"])
