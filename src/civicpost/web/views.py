"""Thin views: each asks a service for data and renders a template."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Literal, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicpost.people import services
from civicpost.people.models import Consent, ConsentRequest, Person
from civicpost.web.forms import AskConsentForm, GrantConsentForm, ProfileForm

PersonView = Callable[..., HttpResponse]
SameSite = Literal["Lax", "Strict", "None", False] | None


def person_required(view: PersonView) -> Callable[..., HttpResponse]:
    """Log in first; a login without a person record sees an explanation, not an error."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        person = getattr(request.user, "person", None)
        if person is None:
            return render(request, "web/no_person.html", status=403)
        return view(request, person, *args, **kwargs)

    return wrapper


@person_required
def start(request: HttpRequest, person: Person) -> HttpResponse:
    accounts = list(services.accounts_for(person))
    return render(
        request,
        "web/start.html",
        {
            "organisational_accounts": [a for a in accounts if not a.is_personal],
            "personal_accounts": [a for a in accounts if a.is_personal],
            "open_requests": person.consent_requests.filter(answer="").count(),
        },
    )


@person_required
def profile(request: HttpRequest, person: Person) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        response = redirect("web:profile")
        # The saved language is the one to use from now on, also over an earlier switch.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            person.preferred_language,
            samesite=cast(SameSite, settings.LANGUAGE_COOKIE_SAMESITE),
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
        return response
    return render(request, "web/profile.html", {"form": form})


def _consent_page(request: HttpRequest, person: Person, **forms: object) -> HttpResponse:
    context: dict[str, object] = {
        "grant_form": GrantConsentForm(person),
        "ask_form": AskConsentForm(person),
        "answers": ConsentRequest.Answer.choices,
        **services.consent_overview(person),
    }
    context.update(forms)
    return render(request, "web/consent.html", context)


@person_required
@require_GET
def consent(request: HttpRequest, person: Person) -> HttpResponse:
    return _consent_page(request, person)


@person_required
@require_POST
def consent_grant(request: HttpRequest, person: Person) -> HttpResponse:
    form = GrantConsentForm(person, request.POST)
    if not form.is_valid():
        return _consent_page(request, person, grant_form=form)
    grantee = form.cleaned_data["grantee"]
    services.grant_consent(person, grantee)
    if grantee is None:
        messages.success(request, _("Everyone in your organisation may now name you."))
    else:
        messages.success(request, _("%(name)s may now name you.") % {"name": grantee})
    return redirect("web:consent")


@person_required
@require_POST
def consent_ask(request: HttpRequest, person: Person) -> HttpResponse:
    form = AskConsentForm(person, request.POST)
    if not form.is_valid():
        return _consent_page(request, person, ask_form=form)
    subject = form.cleaned_data["subject"]
    services.ask_consent(person, subject, form.cleaned_data["message"])
    messages.success(request, _("Your question has been sent to %(name)s.") % {"name": subject})
    return redirect("web:consent")


@person_required
@require_POST
def consent_revoke(request: HttpRequest, person: Person, consent_id: int) -> HttpResponse:
    # Only one's own consents: another person's id gives 404, not a revocation.
    get_object_or_404(Consent, pk=consent_id, subject=person)
    revoked = services.revoke_consent(person, consent_id)
    if getattr(request, "htmx", False):
        return render(request, "web/partials/consent_revoked.html", {"consent": revoked})
    messages.success(request, _("The consent has been revoked."))
    return redirect("web:consent")


@person_required
@require_POST
def consent_answer(request: HttpRequest, person: Person, request_id: int) -> HttpResponse:
    get_object_or_404(ConsentRequest, pk=request_id, subject=person)
    answer = request.POST.get("answer", "")
    if answer not in ConsentRequest.Answer.values:
        messages.error(request, _("Choose one of the answers."))
        return redirect("web:consent")
    services.answer_consent_request(person, request_id, answer)
    messages.success(request, _("Your answer has been saved."))
    return redirect("web:consent")


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
