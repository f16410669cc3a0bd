from django.contrib import admin
from django.urls import include, path

from abdi.api import api

urlpatterns = [
    path("", include("abdi.core.urls")),
    path("akun/", include("abdi.accounts.urls")),
    path("organisasi/", include("abdi.organisations.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
