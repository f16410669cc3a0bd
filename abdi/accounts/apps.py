from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "abdi.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib import admin

        from .mfa import totp_pending

        # The admin site also refuses an administrator who has not entered a TOTP code
        # (AdminTotpMiddleware sends them to do so before they get here).
        has_permission = admin.site.has_permission

        def has_permission_with_totp(request):  # type: ignore[no-untyped-def]
            return has_permission(request) and not totp_pending(request.user)

        admin.site.has_permission = has_permission_with_totp  # type: ignore[method-assign]
