"""The kinds of document Abdi issues, registered by the apps that issue them.

Each app registers its kinds in its ``AppConfig.ready``::

    registry.register("belajar.certificate", label,
                      describe=certificate_facts, can_revoke=may_revoke_certificate)

``describe(document)`` returns extra public facts as ``(label, value)`` pairs, computed
when the page is shown (e.g. the current status of a case); ``can_revoke(user, document)``
decides who may revoke one (by default the issuing agency's administrators);
``check_file(document, content)`` may add checks of an uploaded copy beyond the hash
(e.g. a PAdES signature) and returns :class:`FileCheck` entries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from .models import VerifiableDocument

__all__ = ["DocumentKind", "FileCheck", "get", "kinds", "register"]


@dataclass(frozen=True)
class FileCheck:
    """One check of an uploaded copy: what was checked, whether it passed, and a detail."""

    label: str | Promise
    passed: bool
    detail: str | Promise = ""


Describe = Callable[["VerifiableDocument"], list[tuple[Any, Any]]]
CanRevoke = Callable[[Any, "VerifiableDocument"], bool]
CheckFile = Callable[["VerifiableDocument", bytes], list[FileCheck]]


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: str | Promise
    describe: Describe | None = None
    can_revoke: CanRevoke | None = None
    check_file: CheckFile | None = None


_kinds: dict[str, DocumentKind] = {}


def register(
    key: str,
    label: str | Promise,
    *,
    describe: Describe | None = None,
    can_revoke: CanRevoke | None = None,
    check_file: CheckFile | None = None,
) -> DocumentKind:
    """Register (or, on a reload, replace) a kind of document."""
    kind = DocumentKind(key, label, describe, can_revoke, check_file)
    _kinds[key] = kind
    return kind


def get(key: str) -> DocumentKind:
    """The registered kind; an unknown key is a programming error."""
    try:
        return _kinds[key]
    except KeyError:
        raise LookupError(f"Unknown document kind {key!r}: register it first.") from None


def kinds() -> dict[str, DocumentKind]:
    return dict(_kinds)
