"""The Woo pages. Thin: the work is in services.py; access as for the archive."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicpost.archive.forms import SearchForm
from civicpost.archive.models import Capture
from civicpost.archive.search import search
from civicpost.archive.views import archive_access_required, page_of, query_without_page
from civicpost.people.models import Person
from civicpost.woo import redaction, services
from civicpost.woo.forms import (
    AddRedactionForm,
    ChangeRedactionForm,
    ExtendForm,
    RegisterForm,
    StatusForm,
)
from civicpost.woo.models import Redaction, WooCapture, WooRequest


def _person(request: HttpRequest) -> Person | None:
    return getattr(request.user, "person", None)


def _request(pk: int) -> WooRequest:
    return get_object_or_404(WooRequest, pk=pk)


@archive_access_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    done = WooRequest.objects.filter(
        status__in=[WooRequest.Status.RELEASED, WooRequest.Status.CLOSED]
    ).order_by("-received_on")[:50]
    return render(request, "woo/dashboard.html", {"rows": services.open_requests(), "done": done})


@archive_access_required
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = _person(request)
        if person is None:
            messages.error(request, _("Only a person of the organisation can register a request."))
            return redirect("woo:dashboard")
        woo = services.register(person, **form.cleaned_data)
        messages.success(request, _("Woo request %(ref)s registered.") % {"ref": woo.reference})
        return redirect("woo:detail", pk=woo.pk)
    return render(request, "woo/register.html", {"form": form})


def _items(woo: WooRequest) -> list[dict[str, Any]]:
    rows = []
    for item in woo.items.select_related("capture__account", "capture__content"):
        entries = list(item.redactions.all())
        content = getattr(item.capture, "content", None)
        text = content.text if content is not None else ""
        sources: dict[str, str] = {
            Redaction.Field.TEXT: text,
            Redaction.Field.AUTHOR: content.author_handle if content is not None else "",
        }
        shown = [
            (r.start, r.end, r.ground)
            for r in entries
            if r.field == Redaction.Field.TEXT and r.status != Redaction.Status.REJECTED
        ]
        rows.append(
            {
                "item": item,
                "capture": item.capture,
                "segments": redaction.segments(text, shown),
                "redactions": [
                    {
                        "entry": r,
                        "original": sources.get(r.field, "")[r.start : r.end],
                        "form": ChangeRedactionForm(
                            prefix=f"r{r.pk}",
                            initial={"start": r.start, "end": r.end, "ground": r.ground},
                        ),
                    }
                    for r in entries
                ],
                "add_form": AddRedactionForm(prefix=f"i{item.pk}"),
            }
        )
    return rows


@archive_access_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    woo = _request(pk)
    context = {
        "woo": woo,
        "items": _items(woo),
        "pending": services.pending(woo),
        "events": woo.events.select_related("who"),
        "extend_form": ExtendForm(),
        "status_form": StatusForm(initial={"status": woo.status}),
        "days_left": (woo.deadline - timezone.localdate()).days,
    }
    return render(request, "woo/detail.html", context)


@archive_access_required
def select_captures(request: HttpRequest, pk: int) -> HttpResponse:
    woo = _request(pk)
    person = _person(request)
    if request.method == "POST" and person is not None:
        wanted = [v for v in request.POST.getlist("capture") if v.isdigit()]
        added = services.add_captures(woo, person, Capture.objects.filter(seq__in=wanted))
        messages.success(request, _("%(count)d captures added to the request.") % {"count": added})
        return redirect("woo:detail", pk=woo.pk)
    form = SearchForm(request.GET or None)
    context = {
        "woo": woo,
        "form": form,
        "page": page_of(request, search(form.to_query())),
        "query": query_without_page(request),
        "selected": set(woo.items.values_list("capture__seq", flat=True)),
    }
    return render(request, "woo/select.html", context)


def _post_with_person(request: HttpRequest) -> Person | None:
    person = _person(request)
    if person is None:
        messages.error(request, _("Only a person of the organisation can change a request."))
    return person


@archive_access_required
@require_POST
def remove_item(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    item = get_object_or_404(WooCapture, pk=item_id, request_id=pk)
    if person := _post_with_person(request):
        services.remove_capture(item, person)
        messages.success(request, _("The capture was removed from the request."))
    return redirect("woo:detail", pk=pk)


@archive_access_required
@require_POST
def decide(request: HttpRequest, pk: int, redaction_id: int) -> HttpResponse:
    entry = get_object_or_404(Redaction, pk=redaction_id, item__request_id=pk)
    if person := _post_with_person(request):
        if request.POST.get("decision") == "accept":
            services.accept(entry, person)
        elif request.POST.get("decision") == "reject":
            services.reject(entry, person)
    return redirect(f"{_detail_url(pk)}#item-{entry.item_id}")


def _detail_url(pk: int) -> str:
    return reverse("woo:detail", args=[pk])


@archive_access_required
@require_POST
def change(request: HttpRequest, pk: int, redaction_id: int) -> HttpResponse:
    entry = get_object_or_404(Redaction, pk=redaction_id, item__request_id=pk)
    form = ChangeRedactionForm(request.POST, prefix=f"r{entry.pk}")
    person = _post_with_person(request)
    if person is not None and form.is_valid():
        try:
            services.change(entry, person, **form.cleaned_data)
            messages.success(request, _("The redaction was changed."))
        except services.WooError:
            messages.error(request, _("That span lies outside the text."))
    elif person is not None:
        messages.error(request, _("The redaction was not changed: check the characters."))
    return redirect(f"{_detail_url(pk)}#item-{entry.item_id}")


@archive_access_required
@require_POST
def add_redaction(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    item = get_object_or_404(WooCapture, pk=item_id, request_id=pk)
    form = AddRedactionForm(request.POST, prefix=f"i{item.pk}")
    person = _post_with_person(request)
    if person is not None and form.is_valid():
        data = form.cleaned_data
        added = services.add_phrase(item, person, data["phrase"], data["ground"])
        if added:
            messages.success(request, _("%(count)d redactions added.") % {"count": len(added)})
        else:
            messages.error(request, _("That text does not occur in this capture."))
    return redirect(f"{_detail_url(pk)}#item-{item.pk}")


@archive_access_required
@require_POST
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    woo = _request(pk)
    form = ExtendForm(request.POST)
    person = _post_with_person(request)
    if person is not None and form.is_valid():
        try:
            services.extend(woo, person, form.cleaned_data["reason"])
            messages.success(request, _("The term was extended by two weeks."))
        except services.WooError:
            messages.error(request, _("The term can be extended only once."))
    elif person is not None:
        messages.error(request, _("Give the reason for the extension."))
    return redirect("woo:detail", pk=pk)


@archive_access_required
@require_POST
def status(request: HttpRequest, pk: int) -> HttpResponse:
    woo = _request(pk)
    form = StatusForm(request.POST)
    person = _post_with_person(request)
    if person is not None and form.is_valid():
        services.set_status(woo, person, form.cleaned_data["status"])
        messages.success(request, _("The status was saved."))
    return redirect("woo:detail", pk=pk)


@archive_access_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    woo = _request(pk)
    person = _post_with_person(request)
    if person is None:
        return redirect("woo:detail", pk=pk)
    try:
        package = services.release_package(woo, person)
    except services.WooError:
        messages.error(request, _("Accept or reject every proposed redaction before releasing."))
        return redirect("woo:detail", pk=pk)
    response = HttpResponse(package, content_type="application/zip")
    name = "".join(c if c.isalnum() or c in "-_." else "-" for c in woo.reference)
    response["Content-Disposition"] = f'attachment; filename="woo-{name}.zip"'
    return response
