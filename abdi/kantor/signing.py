"""PAdES signatures by an agency's key (pyHanko), and their validation.

Each agency signs with one active :class:`~abdi.kantor.models.SigningKey`. On first use a
demo key pair with a self-signed certificate is generated; an administrator replaces it with
a real certificate (a PKCS#12 file from BSrE, say) through
:func:`abdi.kantor.services.signing_certificate_install`. Private keys are PKCS#12 files in
:func:`abdi.kantor.conf.key_dir` (outside the web root), encrypted with
:func:`abdi.kantor.conf.key_passphrase`; certificates are also kept in the database, so
letters signed by a replaced certificate still verify.

:func:`sign_pdf` is the one way Abdi signs a PDF (letters here, SKP documents in Kinerja).
"""

import asyncio
import concurrent.futures
import datetime as dt
import hashlib
import io
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.db import IntegrityError, transaction

from abdi.organisations.models import Employee, Instansi

from . import conf
from .models import SigningKey

__all__ = [
    "SignatureBox",
    "SignatureCheck",
    "active_key",
    "demo_key_create",
    "load_pkcs12",
    "sign_pdf",
    "verify_pdf",
]

T = TypeVar("T")


@dataclass(frozen=True)
class SignatureBox:
    """Where the visible signature goes: page index (-1 = last) and a PDF-point rectangle."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class SignatureCheck:
    """What a signature check of a PDF found."""

    signed: bool
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    agency_key: bool = False
    signer: str = ""
    signed_at: dt.datetime | None = None

    @property
    def valid(self) -> bool:
        """Signed by the agency's certificate, unaltered, and nothing added after signing."""
        return self.signed and self.intact and self.trusted and self.whole_file and self.agency_key


def _run(make: Callable[[], Awaitable[T]]) -> T:
    """Run pyHanko's coroutine, in a worker thread when this thread already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())  # type: ignore[arg-type]
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()  # type: ignore[arg-type]


# --- Keys -------------------------------------------------------------------------------------


def _fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def _write_private(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)


def load_pkcs12(
    data: bytes, password: bytes | None
) -> tuple[Any, x509.Certificate, list[x509.Certificate]]:
    """Return the key, certificate and issuer chain of a PKCS#12 file; ValueError if unusable."""
    key, certificate, chain = pkcs12.load_key_and_certificates(data, password)
    if key is None or certificate is None:
        raise ValueError("The PKCS#12 file holds no key with its certificate.")
    return key, certificate, list(chain or [])


def store_key(
    *,
    instansi: Instansi,
    key: Any,
    certificate: x509.Certificate,
    chain: list[x509.Certificate],
    is_demo: bool,
    installed_by: Any = None,
) -> SigningKey:
    """Write the key file and make this certificate the agency's active one (in a transaction)."""
    fingerprint = _fingerprint(certificate)
    path = conf.key_dir() / f"{instansi.code}-{fingerprint[:16]}.p12"
    encrypted = pkcs12.serialize_key_and_certificates(
        instansi.code.encode(),
        key,
        certificate,
        chain or None,
        serialization.BestAvailableEncryption(conf.key_passphrase()),
    )
    _write_private(path, encrypted)
    SigningKey.objects.filter(instansi=instansi, is_active=True).update(is_active=False)
    return SigningKey.objects.create(
        instansi=instansi,
        subject=certificate.subject.rfc4514_string()[:300],
        issuer=certificate.issuer.rfc4514_string()[:300],
        serial=format(certificate.serial_number, "x")[:100],
        fingerprint=fingerprint,
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        certificate=certificate.public_bytes(serialization.Encoding.DER),
        chain=b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain),
        key_file=str(path),
        is_demo=is_demo,
        is_active=True,
        installed_by=installed_by if getattr(installed_by, "is_authenticated", False) else None,
    )


def demo_key_create(instansi: Instansi) -> SigningKey:
    """Generate a demo RSA key and a self-signed certificate for ``instansi`` and activate it."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, instansi.name[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{instansi.name[:50]} (demo)"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )  # fmt: skip
        .sign(key, hashes.SHA256())
    )
    with transaction.atomic():
        return store_key(
            instansi=instansi, key=key, certificate=certificate, chain=[], is_demo=True
        )


def active_key(instansi: Instansi) -> SigningKey:
    """Return the agency's active signing key, generating the demo key on first use."""
    key = SigningKey.objects.filter(instansi=instansi, is_active=True).first()
    if key is not None and Path(key.key_file).exists():
        return key
    with transaction.atomic():
        # One generator per agency at a time; the others then find its key.
        Instansi.objects.select_for_update().filter(pk=instansi.pk).first()
        key = SigningKey.objects.filter(instansi=instansi, is_active=True).first()
        if key is not None and Path(key.key_file).exists():
            return key
        try:
            with transaction.atomic():
                return demo_key_create(instansi)
        except IntegrityError:
            return SigningKey.objects.get(instansi=instansi, is_active=True)


# --- Signing ----------------------------------------------------------------------------------


def _stamp_style() -> Any:
    from pyhanko import stamp

    return stamp.TextStampStyle(
        stamp_text=("Ditandatangani secara elektronik oleh\n%(nama)s\n%(jabatan)s\n%(ts)s"),
        timestamp_format="%Y-%m-%d %H:%M:%S %Z",
        border_width=1,
    )


def sign_pdf(
    *,
    instansi: Instansi,
    pdf_bytes: bytes,
    signer: Employee,
    reason: str,
    box: SignatureBox | None = None,
    location: str = "",
) -> bytes:
    """Return ``pdf_bytes`` with a visible PAdES signature by the agency's active key.

    The visible block names ``signer`` (the official) and their position; without ``box`` it
    goes at the bottom right of the last page.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    key = active_key(instansi)
    with open(key.key_file, "rb") as handle:
        pkcs12_data = handle.read()
    loaded = signers.SimpleSigner.load_pkcs12_data(
        pkcs12_data, other_certs=[], passphrase=conf.key_passphrase()
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    page_count = int(writer.root["/Pages"]["/Count"])
    if box is None:
        box = SignatureBox(page=-1, x1=330, y1=40, x2=560, y2=110)
    page = box.page if box.page >= 0 else page_count + box.page
    field_name = "TandaTangan"
    fields.append_signature_field(
        writer,
        fields.SigFieldSpec(
            sig_field_name=field_name,
            on_page=page,
            box=(round(box.x1), round(box.y1), round(box.x2), round(box.y2)),
        ),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location or instansi.name,
        name=signer.full_name,
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    position = signer.position.title if signer.position is not None else ""
    pdf_signer = signers.PdfSigner(metadata, signer=loaded, stamp_style=_stamp_style())
    output = io.BytesIO()
    # Reserving the signature's room up front spares pyHanko a trial signature to measure it.
    certificates = [loaded.signing_cert, *loaded.cert_registry]
    reserved = 16384 + 2 * sum(len(certificate.dump()) for certificate in certificates)
    _run(
        lambda: pdf_signer.async_sign_pdf(
            writer,
            bytes_reserved=reserved,
            output=output,
            appearance_text_params={"nama": signer.full_name, "jabatan": position},
        )
    )
    return output.getvalue()


# --- Validation -------------------------------------------------------------------------------


def _agency_certificates(instansi_id: int) -> tuple[list[Any], set[str]]:
    """Return the trust roots (agency certificates and their issuers) and leaf fingerprints."""
    roots: list[Any] = []
    fingerprints: set[str] = set()
    for key in SigningKey.objects.filter(instansi_id=instansi_id):
        roots.append(asn1_x509.Certificate.load(bytes(key.certificate)))
        fingerprints.add(key.fingerprint)
        for issuer in x509.load_pem_x509_certificates(bytes(key.chain)) if key.chain else []:
            roots.append(
                asn1_x509.Certificate.load(issuer.public_bytes(serialization.Encoding.DER))
            )
    return roots, fingerprints


def verify_pdf(*, instansi: Instansi, pdf_bytes: bytes) -> SignatureCheck:
    """Check the PDF's last signature against the agency's certificates (no network)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any unreadable upload is simply "not signed"
        return SignatureCheck(signed=False)
    if not signatures:
        return SignatureCheck(signed=False)
    embedded = signatures[-1]
    roots, fingerprints = _agency_certificates(instansi.pk)
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = _run(lambda: async_validate_pdf_signature(embedded, context))
    except Exception:  # noqa: BLE001 - a malformed signature is an invalid one
        return SignatureCheck(signed=True)
    certificate = embedded.signer_cert
    fingerprint = hashlib.sha256(certificate.dump()).hexdigest()
    return SignatureCheck(
        signed=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        agency_key=fingerprint in fingerprints,
        signer=certificate.subject.human_friendly,
        signed_at=getattr(status, "signer_reported_dt", None),
    )
