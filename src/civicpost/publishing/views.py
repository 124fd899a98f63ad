"""Publishing pages: choose accounts and preview, publish, follow up, approve; feeds; /site/."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicpost.drafts import services as drafts
from civicpost.drafts.models import Draft
from civicpost.people.models import Account, Person, Unit
from civicpost.publishing import approvals, feeds, services
from civicpost.publishing.credentials import connection_for
from civicpost.publishing.forms import DecisionForm, PublishForm
from civicpost.publishing.models import Publication
from civicpost.web.views import person_required


def _own_draft(person: Person, draft_id: int) -> Draft:
    try:
        return drafts.draft_of(person, draft_id)
    except Draft.DoesNotExist:
        raise Http404 from None


@person_required
def publish(request: HttpRequest, person: Person, draft_id: int) -> HttpResponse:
    """Choose accounts, see each channel's version and findings, then publish or schedule."""
    draft = _own_draft(person, draft_id)
    accounts = services.usable_accounts(person)
    data = request.POST if request.method == "POST" else (request.GET or None)
    initial = {"accounts": [draft.account_id] if draft.account_id else []}
    # First pass: which accounts were chosen; the override fields depend on their findings.
    chosen_form = PublishForm(data, accounts=accounts, initial=initial)
    previews = []
    if data is not None and chosen_form.is_valid():
        previews = services.previews(draft, list(chosen_form.cleaned_data["accounts"]))
    form = PublishForm(data, accounts=accounts, previews=previews, initial=initial)
    if request.method == "POST" and "publish" in request.POST and form.is_valid():
        try:
            services.request_publication(
                draft,
                person,
                list(form.cleaned_data["accounts"]),
                scheduled_for=form.cleaned_data["scheduled_for"],
                overrides=form.overrides(),
            )
        except services.PublishError as error:
            for held in error.held_back:
                for field in form.override_fields(held.account.pk):
                    if not (form.cleaned_data.get(field.name) or "").strip():
                        form.add_error(field.name, _("Give a reason, or change the draft."))
            if not error.held_back:
                form.add_error(None, str(error))
        else:
            messages.success(request, _("Your post is on its way. Its status is shown below."))
            return redirect("drafts:edit", draft_id=draft.pk)
    rows = [(shown, form.override_fields(shown.account.pk)) for shown in previews]
    return render(
        request,
        "publishing/publish.html",
        {"draft": draft, "form": form, "rows": rows, "previewed": bool(previews)},
    )


@person_required
@require_POST
def retry(request: HttpRequest, person: Person, publication_id: int) -> HttpResponse:
    publication = get_object_or_404(Publication, pk=publication_id, draft__author=person)
    services.retry(publication, person)
    messages.info(request, _("We will try again."))
    return redirect("drafts:edit", draft_id=publication.draft_id)


@person_required
def approvals_page(request: HttpRequest, person: Person) -> HttpResponse:
    waiting = services.awaiting_approval_by(person)
    return render(
        request,
        "publishing/approvals.html",
        {"waiting": [(p, approvals.steps_status(p)) for p in waiting], "form": DecisionForm()},
    )


@person_required
@require_POST
def decide(request: HttpRequest, person: Person, publication_id: int) -> HttpResponse:
    publication = get_object_or_404(Publication, pk=publication_id)
    if not approvals.can_approve(person, publication):
        raise Http404
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    approved = request.POST.get("decision") == "approve"
    services.decide(publication, person, approved, note)
    messages.success(request, _("Approved.") if approved else _("Not approved."))
    return redirect("publishing:approvals")


@person_required
def connections(request: HttpRequest, person: Person) -> HttpResponse:
    """The organisation's accounts and whether civicpost can reach them."""
    accounts = Account.objects.filter(organisation=person.organisation, kind="organisational")
    personal = Account.objects.filter(owner=person)
    rows = [(account, connection_for(account)) for account in [*accounts, *personal]]
    return render(request, "publishing/connections.html", {"rows": rows})


def account_feed(request: HttpRequest, account_id: int, fmt: str = "rss") -> HttpResponse:
    account = get_object_or_404(Account, pk=account_id, kind="organisational")
    body, content_type = feeds.account_feed(request, account, fmt)
    return HttpResponse(body, content_type=content_type)


def unit_feed(request: HttpRequest, unit_id: int, fmt: str = "rss") -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_id)
    body, content_type = feeds.unit_feed(request, unit, fmt)
    return HttpResponse(body, content_type=content_type)


def site(request: HttpRequest, path: str = "") -> FileResponse:
    """The website channel's folder, served as static files (index.html for a folder)."""
    root = Path(settings.CIVICPOST_SITE_DIR).resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root):
        raise Http404
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        raise Http404
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return FileResponse(target.open("rb"), content_type=content_type)
