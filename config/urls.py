from django.contrib import admin
from django.urls import include, path, re_path

from abdi.api import api
from abdi.core.api import api_not_found
from abdi.core.views import metrics

urlpatterns = [
    path("", include("abdi.core.urls")),
    path("metrics", metrics, name="metrics"),
    path("akun/", include("abdi.accounts.urls")),
    path("organisasi/", include("abdi.organisations.urls")),
    path("kinerja/", include("abdi.kinerja.urls")),
    path("layanan/", include("abdi.layanan.urls")),
    path("belajar/", include("abdi.belajar.urls")),
    path("kantor/", include("abdi.kantor.urls")),
    path("inovasi/", include("abdi.inovasi.urls")),
    path("wawasan/", include("abdi.wawasan.urls")),
    path("v/", include("abdi.verifikasi.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<path>.*)$", api_not_found),
    path("admin/", admin.site.urls),
]
