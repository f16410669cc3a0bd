"""Mount every app's API router on the one ``/api/v1`` application."""

from abdi.accounts.api import router as accounts_router
from abdi.belajar.api import router as belajar_router
from abdi.core.api import api
from abdi.inovasi.api import router as inovasi_router
from abdi.kantor.api import router as kantor_router
from abdi.kinerja.api import router as kinerja_router
from abdi.layanan.api import router as layanan_router
from abdi.organisations.api import router as organisations_router
from abdi.verifikasi.api import router as verifikasi_router

api.add_router("/accounts", accounts_router)
api.add_router("/organisations", organisations_router)
api.add_router("/kinerja", kinerja_router)
api.add_router("/layanan", layanan_router)
api.add_router("/belajar", belajar_router)
api.add_router("/kantor", kantor_router)
api.add_router("/inovasi", inovasi_router)
api.add_router("/verifikasi", verifikasi_router)

__all__ = ["api"]
