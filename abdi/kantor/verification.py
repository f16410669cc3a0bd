"""The letter as a kind of verifiable document: its public facts and the check of a copy.

An uploaded copy passes when it is byte-identical to the issued file (checked by
``abdi.verifikasi``) and, here, when its PAdES signature validates against the agency's
certificates: a copy altered after signing fails even if someone re-saved it.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

__all__ = ["check_letter_file", "check_signed_pdf", "describe_letter", "register"]

KIND = "kantor.letter"


def describe_letter(document: Any) -> list[tuple[Any, Any]]:
    """Return the letter's current public facts (its number and whether it is in force)."""
    from .models import Letter

    letter = Letter.objects.filter(pk=document.subject_id).select_related("signed_by").first()
    if letter is None:
        return []
    return [(_("Letter number"), letter.number), (_("Signed by"), letter.signed_by)]


def check_signed_pdf(document: Any, content: bytes) -> list[Any]:
    """Check the PAdES signature of an uploaded copy against the issuing agency's certificates.

    Usable as ``check_file`` by any kind whose PDF is signed with :func:`signing.sign_pdf`.
    """
    from abdi.verifikasi.registry import FileCheck

    from .signing import verify_pdf

    result = verify_pdf(instansi=document.instansi, pdf_bytes=content)
    if not result.signed:
        return [
            FileCheck(
                _("Electronic signature (PAdES)"),
                False,
                _("The file carries no electronic signature."),
            )
        ]
    if result.valid:
        return [
            FileCheck(
                _("Electronic signature (PAdES)"),
                True,
                _("Valid signature by %(signer)s; the file is unchanged since signing.")
                % {"signer": result.signer},
            )
        ]
    if not result.intact or not result.whole_file:
        detail = _("The file was changed after it was signed: the signature no longer holds.")
    else:
        detail = _("The signature is not by this agency's certificate.")
    return [FileCheck(_("Electronic signature (PAdES)"), False, detail)]


check_letter_file = check_signed_pdf


def register() -> None:
    """Register the letter kind with ``abdi.verifikasi`` (called in ``KantorConfig.ready``)."""
    from abdi.verifikasi import registry

    registry.register(
        KIND, _("Official letter"), describe=describe_letter, check_file=check_signed_pdf
    )
