"""Compose, live check and the author's own drafts. Thin: the work is in services.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicpost.drafts import highlight, services
from civicpost.drafts.forms import ComposeForm
from civicpost.drafts.models import Draft
from civicpost.drafts.purposes import Purpose
from civicpost.people.models import Account, Person
from civicpost.web.views import person_required


def _own_draft(person: Person, draft_id: int | None) -> Draft | None:
    if draft_id is None:
        return None
    try:
        return services.draft_of(person, draft_id)
    except Draft.DoesNotExist:
        raise Http404 from None


def _result_context(text: str, result: dict[str, Any], account: Account | None) -> dict[str, Any]:
    findings = result["findings"]
    return {
        "result": result,
        "segments": highlight.segments(text, findings),
        "findings": findings,
        "counts": {
            level: sum(1 for f in findings if f["level"] == level)
            for level in ("error", "warning", "suggestion")
        },
        "account": account,
        "result_text": text,
    }


@person_required
def compose(request: HttpRequest, person: Person, draft_id: int | None = None) -> HttpResponse:
    draft = _own_draft(person, draft_id)
    initial = {}
    if draft is not None:
        initial = {"account": draft.account_id, "purpose": draft.purpose, "text": draft.text}
    form = ComposeForm(person, request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        draft = services.save_draft(
            person,
            form.cleaned_data["account"],
            form.cleaned_data["purpose"],
            form.cleaned_data["text"],
            form.images(),
            draft=draft,
        )
        messages.success(request, _("Your draft has been saved. Only you can see it."))
        return redirect("drafts:edit", draft_id=draft.pk)
    context: dict[str, Any] = {"form": form, "draft": draft}
    if draft is not None:
        result = services.check(person, draft.account, draft.text)
        context.update(_result_context(draft.text, result, draft.account))
    return render(request, "drafts/compose.html", context)


@person_required
@require_POST
def live_check(request: HttpRequest, person: Person) -> HttpResponse:
    """The debounced check behind the compose page: computed, rendered, forgotten."""
    form = ComposeForm(person, request.POST, request.FILES)
    form.is_valid()  # partial input is fine: check whatever text there is
    text = request.POST.get("text", "")
    account = None
    account_id = request.POST.get("account")
    if account_id and account_id.isdigit():
        try:
            account = services.usable_account(person, int(account_id))
        except services.DraftError:
            return HttpResponse(status=403)
    if not text.strip():
        return render(request, "drafts/partials/check_empty.html")
    result = services.check(person, account, text, form.images())
    return render(
        request, "drafts/partials/check_result.html", _result_context(text, result, account)
    )


@person_required
@require_GET
def my_drafts(request: HttpRequest, person: Person) -> HttpResponse:
    return render(
        request,
        "drafts/list.html",
        {"drafts": services.drafts_of(person), "purposes": dict(Purpose.choices)},
    )
