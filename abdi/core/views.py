import hmac
import ipaddress
import logging
import time

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.generic import TemplateView

from abdi.organisations.access import Role, employee_of, roles_of

from . import metrics_counters
from .heartbeat import last_heartbeat

logger = logging.getLogger(__name__)


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


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        logger.warning("Health check: the database does not answer.", exc_info=True)
        return "error"
    return "ok"


def _check_broker() -> str:
    """Reach the Celery broker; ``eager`` when tasks run in-process (no broker)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001
        logger.warning("Health check: the broker does not answer.", exc_info=True)
        return "error"
    return "ok"


def healthz(request: HttpRequest) -> JsonResponse:
    """Report whether the database and the broker (when one is configured) answer."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = "error" not in checks.values()
    body: dict[str, object] = {"status": "ok" if healthy else "error", **checks}
    if checks["broker"] != "eager":
        # Informative only: beat runs on one host, the web stays healthy without it.
        beat = last_heartbeat()
        body["beat_seconds_ago"] = round(time.time() - beat["at"]) if beat else None
    return JsonResponse(body, status=200 if healthy else 503)


def _metrics_allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "ABDI_METRICS_TOKEN", "")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header.removeprefix("Bearer ").encode(), token.encode())
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    networks = getattr(settings, "ABDI_METRICS_ALLOWED_NETWORKS", [])
    return any(address in ipaddress.ip_network(net, strict=False) for net in networks)


def metrics(request: HttpRequest) -> HttpResponse:
    """Counters in the Prometheus text format, for a bearer token or an internal address."""
    if not _metrics_allowed(request):
        raise Http404
    return HttpResponse(
        metrics_counters.render_prometheus(), content_type="text/plain; version=0.0.4"
    )
