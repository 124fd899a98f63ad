"""The archivist's destruction page: what is due, a confirmed decision, and past decisions.

Destruction goes through ``retention.destroy_all``, one recorded decision per capture, only
after a confirmation step that shows exactly what will go. Only archivists reach these pages:
the people who post and answer on the accounts may read the archive, not destroy it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from civicpost.archive.forms import DestructionFilterForm, DestructionForm
from civicpost.archive.models import Capture, Destruction, LegalHold, RetentionRule
from civicpost.archive.retention import (
    Holds,
    Schedule,
    destroy_all,
    may_decide_destruction,
    term_ends,
)
from civicpost.archive.views import View, query_without_page
from civicpost.people.models import Person

DUE_PER_PAGE = 50
DECISIONS_PER_PAGE = 25


def decides_destruction(user: Any) -> bool:
    """An archivist with a person record: the decision is recorded in their name."""
    if not getattr(user, "is_authenticated", False):
        return False
    return may_decide_destruction(getattr(user, "person", None))


def destruction_access_required(view: View) -> View:
    """Log in first; then only archivists get past (403 with an explanation otherwise)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not decides_destruction(request.user):
            return render(request, "archive/destruction_forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


@dataclass
class DueRow:
    capture: Capture
    rule: RetentionRule | None
    term_ended: Any
    hold: LegalHold | None


def _rows(captures: list[Capture], schedule: Schedule, holds: Holds) -> list[DueRow]:
    rows = []
    for capture in captures:
        rule = schedule.rule(capture)
        rows.append(DueRow(capture, rule, term_ends(capture, rule), holds.on(capture)))
    return rows


def _account_id(request: HttpRequest) -> tuple[DestructionFilterForm, int | None]:
    form = DestructionFilterForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["account"] is not None:
        return form, int(form.cleaned_data["account"].pk)
    return form, None


def _list_page(request: HttpRequest, form: DestructionForm, status: int = 200) -> HttpResponse:
    filter_form, account_id = _account_id(request)
    schedule, holds = Schedule(), Holds.active()
    due: Page[Capture] = Paginator(schedule.expired(account_id), DUE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    decisions = Paginator(
        Destruction.objects.select_related(
            "decided_by", "target", "target__account", "record", "rule"
        ).order_by("-decided_at", "-pk"),
        DECISIONS_PER_PAGE,
    ).get_page(request.GET.get("decisions"))
    others = [(k, v) for k in request.GET if k != "decisions" for v in request.GET.getlist(k)]
    selected = {int(v) for v in request.POST.getlist("capture") if v.isdigit()}
    context = {
        "form": form,
        "filter_form": filter_form,
        "page": due,
        "rows": _rows(list(due.object_list), schedule, holds),
        "query": query_without_page(request),
        "selected": selected,
        "decisions": decisions,
        "decisions_query": urlencode(others),
    }
    return render(request, "archive/destruction.html", context, status=status)


def _confirm_page(request: HttpRequest, form: DestructionForm) -> HttpResponse:
    schedule, holds = Schedule(), Holds.active()
    captures = list(
        Capture.objects.filter(seq__in=form.cleaned_data["capture"])
        .select_related("account")
        .order_by("seq")
    )
    context = {"form": form, "rows": _rows(captures, schedule, holds), "count": len(captures)}
    return render(request, "archive/destruction_confirm.html", context)


def _destroy(request: HttpRequest, form: DestructionForm, person: Person) -> HttpResponse:
    targets = Capture.objects.filter(seq__in=form.cleaned_data["capture"]).order_by("seq")
    report = destroy_all(list(targets), person, form.cleaned_data["reason"].strip())
    if report.destroyed:
        messages.success(
            request, _("Captures destroyed: %(count)s.") % {"count": len(report.destroyed)}
        )
    for capture, _problem in report.refused:
        messages.error(
            request,
            _(
                "Capture #%(seq)s was not destroyed: it is under a legal hold now, was destroyed "
                "already or is not due any more."
            )
            % {"seq": capture.seq},
        )
    return redirect("archive:destruction")


@destruction_access_required
@require_http_methods(["GET", "POST"])
def destruction_page(request: HttpRequest) -> HttpResponse:
    """GET lists; POST checks the selection and asks to confirm; a confirmed POST destroys."""
    if request.method != "POST":
        return _list_page(request, DestructionForm())
    form = DestructionForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form)
    if request.POST.get("confirm") != "yes":
        return _confirm_page(request, form)
    person: Person = request.user.person  # type: ignore[union-attr]
    return _destroy(request, form, person)
