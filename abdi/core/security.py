"""Security headers every response carries: Content-Security-Policy and Permissions-Policy.

The policy allows scripts only from our own origin (no ``unsafe-inline``, no ``unsafe-eval``):
templates keep JavaScript in static files and use htmx attributes. Styles may be inline
(htmx adds its indicator style; PDF templates carry their own), which cannot run code.
Settings: ``ABDI_CSP`` (directive → sources) replaces the default policy,
``ABDI_CSP_REPORT_ONLY`` sends it as ``Content-Security-Policy-Report-Only``.
"""

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse

__all__ = ["DEFAULT_CSP", "SecurityHeadersMiddleware", "csp_header_value"]

DEFAULT_CSP: dict[str, Sequence[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def csp_header_value(policy: Mapping[str, Sequence[str]]) -> str:
    """Return the header text for ``policy`` (directive → list of sources)."""
    return "; ".join(
        f"{directive} {' '.join(sources)}".strip() for directive, sources in policy.items()
    )


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy and Permissions-Policy headers to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        policy = getattr(settings, "ABDI_CSP", None) or DEFAULT_CSP
        self.header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "ABDI_CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )
        self.value = csp_header_value(policy)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header not in response:
            response[self.header] = self.value
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = PERMISSIONS_POLICY
        return response
