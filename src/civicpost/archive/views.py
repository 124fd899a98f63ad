"""The archivist's pages: search, thread, timeline, capture detail, media and exports.

Organisational-account records are public records, but these pages are for the people who
manage them: archivists, administrators, communication advisers, spokespersons and staff.
"""

from __future__ import annotations

import mimetypes
import shutil
import tempfile
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civicpost.archive import exports
from civicpost.archive import media as media_store
from civicpost.archive.forms import SearchForm
from civicpost.archive.models import Capture, CaptureContent, CaptureMedia, Destruction
from civicpost.archive.search import deleted_on_platform, search, thread, timeline
from civicpost.people.models import Account, Person

PER_PAGE = 25
COUNT_CAP = 10_000
ARCHIVE_ROLES = frozenset(
    {
        Person.Role.ARCHIVIST,
        Person.Role.ADMINISTRATOR,
        Person.Role.COMMUNICATION_ADVISER,
        Person.Role.SPOKESPERSON,
    }
)
EXPORT_FORMATS = (("wacz", "WACZ"), ("mdto", "MDTO"), ("jsonl", "JSON Lines"))
INLINE_IMAGES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"})
View = Callable[..., HttpResponseBase]


def can_see_archive(user: Any) -> bool:
    """Archivists, administrators, communication staff and Django staff; nobody else."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    person = getattr(user, "person", None)
    return person is not None and person.role in ARCHIVE_ROLES


def archive_access_required(view: View) -> View:
    """Log in first; then only the people ``can_see_archive`` names get past (403 otherwise)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_see_archive(request.user):
            return render(request, "archive/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Counts at most ``COUNT_CAP`` + 1 results. Counting every match of a common word in
    a million captures takes the database about a second, while showing a page takes a few
    milliseconds; past the cap the page says "more than" and asks for a narrower search."""

    object_list: QuerySet[Capture]

    @cached_property
    def count(self) -> int:
        return len(self.object_list.values_list("pk", flat=True)[: COUNT_CAP + 1])

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def cap(self) -> int:
        return COUNT_CAP


def page_of(request: HttpRequest, queryset: QuerySet[Capture]) -> Page[Capture]:
    return CappedPaginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    pairs: list[tuple[str, str]] = [
        (key, value) for key in request.GET if key != "page" for value in request.GET.getlist(key)
    ]
    return urlencode(pairs)


@archive_access_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = page_of(request, search(form.to_query()))
    context = {"form": form, "page": results, "query": query_without_page(request)}
    if getattr(request, "htmx", False):
        return render(request, "archive/partials/results.html", context)
    return render(request, "archive/search.html", context)


def _text_of(capture: Capture | None) -> str:
    if capture is None:
        return ""
    try:
        return capture.content.text
    except CaptureContent.DoesNotExist:
        return ""


def _with_previous_text(
    root: Capture | None, versions: Sequence[Capture]
) -> list[tuple[Capture, str]]:
    """Each edit with the text it replaced, for the word diff (oldest first)."""
    pairs: list[tuple[Capture, str]] = []
    previous = _text_of(root)
    for version in versions:
        pairs.append((version, previous))
        previous = _text_of(version) or previous
    return pairs


@archive_access_required
@require_GET
def thread_page(request: HttpRequest, account_id: int, remote_id: str) -> HttpResponse:
    account = get_object_or_404(Account, pk=account_id)
    found = thread(account_id, remote_id)
    if found.root is None and not found.versions and not found.deletions:
        raise Http404(_("The archive holds no post with this id."))
    context = {
        "account": account,
        "remote_id": remote_id,
        "thread": found,
        "versions": _with_previous_text(found.root, found.versions),
        "formats": EXPORT_FORMATS,
        "export_query": urlencode({"account": str(account_id), "remote_id": remote_id}),
    }
    return render(request, "archive/thread.html", context)


@archive_access_required
@require_GET
def account_page(request: HttpRequest, account_id: int) -> HttpResponse:
    account = get_object_or_404(Account, pk=account_id)
    results = page_of(request, timeline(account_id))
    context = {
        "account": account,
        "page": results,
        "query": query_without_page(request),
        "formats": EXPORT_FORMATS,
        "export_query": urlencode({"account": str(account_id)}),
    }
    return render(request, "archive/timeline.html", context)


@archive_access_required
@require_GET
def capture_page(request: HttpRequest, seq: int) -> HttpResponse:
    capture = get_object_or_404(
        Capture.objects.select_related("account", "content").annotate(
            deleted=deleted_on_platform()
        ),
        seq=seq,
    )
    destruction = Destruction.objects.filter(target=capture).select_related("decided_by").first()
    context = {
        "capture": capture,
        "destruction": destruction,
        "media": capture.media_links.select_related("media"),
        "inline_images": INLINE_IMAGES,
    }
    return render(request, "archive/capture.html", context)


@archive_access_required
@require_GET
def media_file(request: HttpRequest, seq: int, position: int) -> HttpResponseBase:
    link = get_object_or_404(
        CaptureMedia.objects.select_related("media"), capture__seq=seq, position=position
    )
    path = media_store.media_path(link.media_id)
    if not path.exists():
        raise Http404(_("The stored original is missing."))
    mime = link.media.mime_type or "application/octet-stream"
    extension = mimetypes.guess_extension(mime) or ".bin"
    response = FileResponse(
        path.open("rb"),
        content_type=mime,
        as_attachment=mime not in INLINE_IMAGES,
        filename=f"capture-{seq}-{position}{extension}",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def export_captures(account_id: int, remote_id: str) -> QuerySet[Capture]:
    """The captures of a thread (or of the whole account when no remote id is given)."""
    if not remote_id:
        return Capture.objects.filter(account_id=account_id).order_by("seq")
    shared: Callable[[int, str], QuerySet[Capture]] | None = getattr(
        exports, "thread_captures", None
    )
    if shared is not None:
        try:
            return shared(account_id, remote_id)
        except NotImplementedError:
            pass
    found = thread(account_id, remote_id)
    members = [c for c in [found.root, *found.versions, *found.deletions] if c is not None]
    members += [capture for _, capture in found.replies]
    return Capture.objects.filter(pk__in=[c.pk for c in members]).order_by("seq")


def _as_download(written: Path, fmt: str) -> tuple[Path, str]:
    """A folder becomes a zip beside it; a file is sent as it is."""
    if written.is_dir():
        return Path(shutil.make_archive(str(written), "zip", written)), f"{fmt}.zip"
    return written, written.name


@archive_access_required
@require_GET
def export_download(request: HttpRequest, fmt: str) -> HttpResponseBase:
    account_id = request.GET.get("account", "")
    remote_id = request.GET.get("remote_id", "")
    if fmt not in exports.FORMATS or not account_id.isdigit():
        raise Http404(_("Unknown export."))
    account = get_object_or_404(Account, pk=int(account_id))
    captures = export_captures(account.pk, remote_id)
    back = (
        reverse("archive:thread", args=[account.pk, remote_id])
        if remote_id
        else reverse("archive:account", args=[account.pk])
    )
    workdir = Path(tempfile.mkdtemp(prefix="civicpost-export-"))
    try:
        written = exports.export(fmt, captures, workdir / f"export.{fmt}")
        path, name = _as_download(written, fmt)
        spooled = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        with path.open("rb") as handle:
            shutil.copyfileobj(handle, spooled)
        spooled.seek(0)
    except NotImplementedError:
        messages.error(request, _("Export as %(format)s is not available yet.") % {"format": fmt})
        return redirect(back)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if name.endswith((".wacz", ".zip")):
        kind = "application/zip"
    filename = f"civicpost-{account.pk}-{fmt}-{name}"
    return FileResponse(spooled, content_type=kind, as_attachment=True, filename=filename)
