from django.urls import path

from . import views

app_name = "verifikasi"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.check, name="check"),
]
