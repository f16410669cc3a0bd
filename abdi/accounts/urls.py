from django.contrib.auth.views import LogoutView
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("keluar/", LogoutView.as_view(), name="logout"),
    path("daftar/", views.CitizenRegisterView.as_view(), name="citizen-register"),
    path("saya/", views.CitizenProfileView.as_view(), name="citizen-profile"),
]
