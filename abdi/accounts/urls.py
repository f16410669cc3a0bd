from django.contrib.auth.views import LogoutView
from django.urls import path

from . import views, views_totp

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("keluar/", LogoutView.as_view(), name="logout"),
    path("daftar/", views.CitizenRegisterView.as_view(), name="citizen-register"),
    path("saya/", views.CitizenProfileView.as_view(), name="citizen-profile"),
    path("lupa-sandi/", views.PasswordLinkRequestView.as_view(), name="password-link"),
    path("sandi/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password-set"),
    path("totp/daftar/", views_totp.totp_enrol, name="totp-enrol"),
    path("totp/verifikasi/", views_totp.totp_verify, name="totp-verify"),
    path("aktivasi/<uuid:public_id>/", views.employee_activation_send, name="employee-activation"),
]
