"""Pages of the office: my desk (awaiting, inbox, drafts), a letter, the archive, management.

Views stay thin: a form parses, a selector authorises, a service decides and writes; a refusal
comes back on the page with the service's message (422).
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abdi.core.exceptions import DomainError, NotFoundError
from abdi.core.forms import add_domain_error
from abdi.organisations.access import can_admin_instansi, employee_of
from abdi.organisations.models import Employee, Instansi

from . import documents, selectors, services
from .choices import LetterStatus, RecipientKind
from .forms import (
    ArchiveSearchForm,
    AttachmentForm,
    CertificateForm,
    ClassificationForm,
    CommentForm,
    CompleteForm,
    DisposeForm,
    LetterEditForm,
    LetterForm,
    TemplateForm,
)
from .models import Classification, Disposition, Letter, LetterTemplate, SigningKey

EDITABLE = (LetterStatus.DRAFT, LetterStatus.RETURNED)


def _me(request: HttpRequest) -> Employee:
    employee = employee_of(request.user)
    if employee is None:
        raise Http404
    return employee


def _letter(request: HttpRequest, public_id: Any) -> Letter:
    try:
        return selectors.letter_get(actor=request.user, public_id=public_id)
    except NotFoundError as exc:
        raise Http404 from exc


def _detail_url(letter: Letter) -> str:
    return reverse("kantor:letter-detail", args=[letter.public_id])


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """My desk: letters awaiting my initials or signature, my inbox, my drafts."""
    _me(request)
    return render(
        request,
        "kantor/home.html",
        {
            "awaiting": selectors.letters_awaiting(actor=request.user),
            "inbox": selectors.inbox(actor=request.user)[:50],
            "drafts": selectors.letters_drafted(actor=request.user)[:50],
        },
    )


def _recipients(form: LetterForm) -> list[services.RecipientSpec]:
    data = form.cleaned_data
    specs = [services.RecipientSpec(kind=RecipientKind.UNIT, unit=u) for u in data["units"]]
    specs += [
        services.RecipientSpec(kind=RecipientKind.EMPLOYEE, employee=e) for e in data["people"]
    ]
    specs += [
        services.RecipientSpec(kind=RecipientKind.EXTERNAL, name=name, address=address)
        for name, address in form.external_recipients()
    ]
    return specs


@login_required
def letter_create(request: HttpRequest) -> HttpResponse:
    """Draft a new letter from a template."""
    me = _me(request)
    signers = selectors.signer_positions(employee=me)
    form = LetterForm(request.POST or None, employee=me, signers=signers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            letter = services.letter_create(
                actor=request.user, template=data["template"],
                classification=data["classification"], subject=data["subject"],
                body=data["body"], signer_position=data["signer_position"],
                recipients=_recipients(form), access_class=data["access_class"],
            )  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect(_detail_url(letter))
    status = 422 if request.method == "POST" else 200
    return render(request, "kantor/letter_form.html", {"form": form}, status=status)


def _detail_context(request: HttpRequest, letter: Letter, **forms: Any) -> dict[str, Any]:
    me = employee_of(request.user)
    step = selectors.current_step(letter)
    my_entries = (
        list(letter.dispositions.filter(recipient=me).select_related("sender"))
        if me is not None
        else []
    )
    subordinates = (
        selectors.subordinates(employee=me) if me is not None else Employee.objects.none()
    )
    versions = list(letter.versions.select_related("author"))
    return {
        "letter": letter,
        "is_drafter": me is not None and letter.drafter_id == me.pk,
        "editable": letter.status in EDITABLE,
        "step": step,
        "my_turn": step is not None and me is not None and step.employee_id == me.pk,
        "steps": letter.steps.select_related("employee", "position").order_by("round", "order"),
        "versions": versions,
        "recipients": letter.recipients.select_related("unit", "employee"),
        "attachments": letter.attachments.all(),
        "tree": selectors.disposition_tree(letter=letter, today=letter.instansi.local_date())
        if letter.status == LetterStatus.SIGNED
        else [],
        "my_entries": my_entries,
        "has_subordinates": subordinates.exists(),
        "edit_form": forms.get("edit_form")
        or LetterEditForm(initial={"subject": letter.subject, "body": letter.body}),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "decision_form": forms.get("decision_form") or CommentForm(),
        "dispose_form": forms.get("dispose_form") or DisposeForm(subordinates=subordinates),
        "complete_form": forms.get("complete_form") or CompleteForm(),
        "error_entry": forms.get("error_entry"),
    }


@login_required
def letter_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    """One letter: its text, route, versions, attachments, and what I may do with it."""
    letter = _letter(request, public_id)
    if letter.status == LetterStatus.SIGNED:
        services.letter_mark_read(actor=request.user, letter=letter)
    return render(request, "kantor/letter_detail.html", _detail_context(request, letter))


def _act(
    request: HttpRequest,
    letter: Letter,
    form: Any,
    name: str,
    action: Callable[[dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(_detail_url(letter))
    context = _detail_context(request, letter, **{name: form})
    return render(request, "kantor/letter_detail.html", context, status=422)


@login_required
@require_POST
def letter_edit(request: HttpRequest, public_id: Any) -> HttpResponse:
    letter = _letter(request, public_id)
    return _act(
        request, letter, LetterEditForm(request.POST), "edit_form",
        lambda data: services.letter_update(
            actor=request.user, letter=letter, subject=data["subject"], body=data["body"],
            note=data["note"],
        ),
        _("The letter was saved."),
    )  # fmt: skip


@login_required
@require_POST
def letter_submit(request: HttpRequest, public_id: Any) -> HttpResponse:
    letter = _letter(request, public_id)
    return _act(
        request, letter, CommentForm(request.POST), "decision_form",
        lambda data: services.letter_submit(actor=request.user, letter=letter),
        _("The letter was sent for initials."),
    )  # fmt: skip


@login_required
@require_POST
def letter_decide(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Initial, return or sign, at one's turn."""
    letter = _letter(request, public_id)
    decision = request.POST.get("decision")
    if decision == "paraf":

        def action(data: dict[str, Any]) -> Any:
            return services.letter_paraf(actor=request.user, letter=letter, comment=data["comment"])

        done = _("You initialled the letter.")
    elif decision == "return":

        def action(data: dict[str, Any]) -> Any:
            return services.letter_return(
                actor=request.user, letter=letter, comment=data["comment"]
            )

        done = _("The letter was returned to its drafter.")
    elif decision == "sign":

        def action(data: dict[str, Any]) -> Any:
            return services.letter_sign(actor=request.user, letter=letter)

        done = _("The letter was signed, numbered and sent.")
    else:
        raise Http404
    return _act(request, letter, CommentForm(request.POST), "decision_form", action, done)


@login_required
@require_POST
def attachment_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    letter = _letter(request, public_id)
    return _act(
        request, letter, AttachmentForm(request.POST, request.FILES), "attachment_form",
        lambda data: services.attachment_add(
            actor=request.user, letter=letter, uploaded_file=data["file"]
        ),
        _("The attachment was added."),
    )  # fmt: skip


@login_required
def attachment_file(request: HttpRequest, public_id: Any) -> FileResponse:
    try:
        attachment = selectors.attachment_get(actor=request.user, public_id=public_id)
    except NotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
def letter_pdf(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The signed PDF, or a preview of the draft marked as such."""
    letter = _letter(request, public_id)
    if letter.status == LetterStatus.SIGNED:
        return FileResponse(
            letter.signed_file.open("rb"),
            as_attachment=True,
            filename=f"{letter.number.replace('/', '-')}.pdf",
            content_type="application/pdf",
        )
    pdf = documents.letter_pdf(letter).pdf
    return HttpResponse(pdf, content_type="application/pdf")


@login_required
def letter_diff(request: HttpRequest, public_id: Any) -> HttpResponse:
    letter = _letter(request, public_id)
    try:
        old, new = int(request.GET.get("dari", 1)), int(request.GET.get("ke", letter.version))
        lines = selectors.version_diff(letter=letter, old=old, new=new)
    except (ValueError, NotFoundError) as exc:
        raise Http404 from exc
    return render(
        request,
        "kantor/letter_diff.html",
        {"letter": letter, "old": old, "new": new, "lines": lines},
    )


def _entry(request: HttpRequest, public_id: Any) -> Disposition:
    try:
        return selectors.disposition_get(actor=request.user, public_id=public_id)
    except NotFoundError as exc:
        raise Http404 from exc


@login_required
@require_POST
def disposition_create(request: HttpRequest, public_id: Any) -> HttpResponse:
    entry = _entry(request, public_id)
    me = _me(request)
    form = DisposeForm(request.POST, subordinates=selectors.subordinates(employee=me))
    context_form = {"dispose_form": form, "error_entry": entry.pk}
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.disposition_create(
                actor=request.user, parent=entry, recipients=list(data["recipients"]),
                instruction=data["instruction"], deadline=data["deadline"],
            )  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The letter was disposed."))
            return redirect(_detail_url(entry.letter))
    context = _detail_context(request, entry.letter, **context_form)
    return render(request, "kantor/letter_detail.html", context, status=422)


@login_required
@require_POST
def disposition_complete(request: HttpRequest, public_id: Any) -> HttpResponse:
    entry = _entry(request, public_id)
    return _act(
        request, entry.letter, CompleteForm(request.POST), "complete_form",
        lambda data: services.disposition_complete(
            actor=request.user, disposition=entry, reply=data["reply"]
        ),
        _("Reported done."),
    )  # fmt: skip


@login_required
def archive(request: HttpRequest) -> HttpResponse:
    """Search the signed letters I may open."""
    form = ArchiveSearchForm(request.GET or None)
    results: Any = []
    if form.is_valid():
        try:
            results = selectors.archive_search(actor=request.user, **form.cleaned_data)[:100]
        except DomainError as exc:
            add_domain_error(form, exc)
    elif not request.GET:
        results = selectors.archive_search(actor=request.user)[:50]
    return render(request, "kantor/archive.html", {"form": form, "results": results})


# --- Agency administrators --------------------------------------------------------------------


def _instansi(request: HttpRequest) -> Instansi:
    me = employee_of(request.user)
    candidates = Instansi.objects.filter(administrators=request.user)
    instansi = candidates.first() if me is None else (
        candidates.filter(pk=me.instansi_id).first() or candidates.first()
    )  # fmt: skip
    if instansi is None or not can_admin_instansi(request.user, instansi.pk):
        raise Http404
    return instansi


def _manage_action(request: HttpRequest, instansi: Instansi, which: str) -> tuple[Any, Any]:
    """Return the bound form of ``which`` and the service call to make with its data."""
    actor = request.user
    if which == "template":
        return TemplateForm(request.POST), lambda data: services.template_create(
            actor=actor, instansi=instansi, **data
        )
    if which == "classification":
        return ClassificationForm(request.POST), lambda data: services.classification_create(
            actor=actor, instansi=instansi, **data
        )
    if which == "certificate":
        return CertificateForm(request.POST, request.FILES), (
            lambda data: services.signing_certificate_install(
                actor=actor, instansi=instansi, pkcs12_data=data["file"].read(),
                password=data["password"],
            )
        )  # fmt: skip
    if which == "demo-key":
        return CertificateForm({}), lambda data: services.signing_key_ensure(
            actor=actor, instansi=instansi
        )
    raise Http404


MANAGE_FORMS = {
    "template": "template_form",
    "classification": "classification_form",
    "certificate": "certificate_form",
    "demo-key": "certificate_form",
}


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """Templates, classification codes and the signing certificate of my agency."""
    instansi = _instansi(request)
    forms: dict[str, Any] = {
        "template_form": TemplateForm(),
        "classification_form": ClassificationForm(),
        "certificate_form": CertificateForm(),
    }
    status = 200
    if request.method == "POST":
        which = request.POST.get("form", "")
        form, action = _manage_action(request, instansi, which)
        forms[MANAGE_FORMS[which]] = form
        if which == "demo-key" or form.is_valid():
            try:
                action(getattr(form, "cleaned_data", {}))
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("kantor:manage")
        status = 422
    context = {
        "instansi": instansi,
        "templates": LetterTemplate.objects.filter(instansi=instansi),
        "classifications": Classification.objects.filter(instansi=instansi),
        "keys": SigningKey.objects.filter(instansi=instansi),
        **forms,
    }
    return render(request, "kantor/manage.html", context, status=status)
