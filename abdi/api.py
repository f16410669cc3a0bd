"""Mount every app's API router on the one ``/api/v1`` application."""

from abdi.accounts.api import router as accounts_router
from abdi.core.api import api
from abdi.kinerja.api import router as kinerja_router
from abdi.organisations.api import router as organisations_router

api.add_router("/accounts", accounts_router)
api.add_router("/organisations", organisations_router)
api.add_router("/kinerja", kinerja_router)

__all__ = ["api"]
