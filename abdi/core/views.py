from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.generic import TemplateView

from abdi.organisations.access import Role, employee_of, roles_of


class HomeView(TemplateView):
    """The landing page: what a visitor can do, or the signed-in user's shortcuts."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        roles = roles_of(user)
        context["roles"] = roles
        context["employee"] = employee_of(user)
        context["is_agency_admin"] = Role.AGENCY_ADMIN in roles or Role.PLATFORM_ADMIN in roles
        return context


def healthz(request: HttpRequest) -> JsonResponse:
    """Report whether the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        db = "ok"
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        db = "error"
    status = 200 if db == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "database": db}, status=status
    )
