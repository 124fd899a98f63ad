"""Thin views over the feedback services. A page someone may not see is a 404, not a 403,
so its existence is not given away either."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicpost.drafts import services as drafts
from civicpost.drafts import views as drafts_views
from civicpost.drafts.models import Draft
from civicpost.feedback import (
    access,
    circles,
    conflicts,
    notifications,
    principles,
    purposes,
    services,
)
from civicpost.feedback.forms import (
    AskFeedbackForm,
    CommentForm,
    ConflictForm,
    DecisionForm,
    PositionForm,
    PreferencesForm,
    PurposeScopeForm,
    ShareFindingsForm,
    StartCircleForm,
    VerdictForm,
)
from civicpost.feedback.models import Circle, Conflict
from civicpost.people.models import Person
from civicpost.people.services import ConsentError
from civicpost.web.views import person_required


def _draft(person: Person, draft_id: int) -> Draft:
    try:
        return services.visible_draft(person, draft_id)
    except Draft.DoesNotExist:
        raise Http404 from None


def _conflict(person: Person, conflict_id: int) -> Conflict:
    try:
        return conflicts.visible_conflict(person, conflict_id)
    except Conflict.DoesNotExist:
        raise Http404 from None


def _circle(person: Person, circle_id: int) -> Circle:
    circle = circles.circles_in(person).filter(pk=circle_id).first()
    if circle is None:
        raise Http404
    return circle


@person_required
@require_GET
def index(request: HttpRequest, person: Person) -> HttpResponse:
    return render(
        request,
        "feedback/index.html",
        {
            "waiting": services.waiting_for(person),
            "to_decide": services.conflicts_to_decide(person),
            "conflicts": conflicts.conflicts_of(person),
            "my_circles": circles.circles_of(person),
            "asked_drafts": Draft.objects.filter(author=person, feedback_requests__isnull=False)
            .distinct()
            .order_by("-updated_at"),
            "discussable": services.discussable_drafts(person)[:50],
        },
    )


# -- circles -------------------------------------------------------------------------------


@person_required
def circle_list(request: HttpRequest, person: Person) -> HttpResponse:
    form = StartCircleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        circle = circles.start_circle(person, form.cleaned_data["name"])
        messages.success(request, _("You started the circle and agreed to its principles."))
        return redirect("feedback:circle", circle_id=circle.pk)
    return render(
        request,
        "feedback/circles.html",
        {"circles": circles.circles_in(person), "form": form, "statement": principles.statement()},
    )


@person_required
def circle_detail(request: HttpRequest, person: Person, circle_id: int) -> HttpResponse:
    circle = _circle(person, circle_id)
    if request.method == "POST":
        if request.POST.get("action") == "leave":
            circles.leave(person, circle)
            messages.success(request, _("You left the circle."))
        else:
            circles.join(person, circle)
            messages.success(request, _("You joined the circle and agreed to its principles."))
        return redirect("feedback:circle", circle_id=circle.pk)
    return render(
        request,
        "feedback/circle.html",
        {
            "circle": circle,
            "members": circles.members(circle),
            "memberships": circle.memberships.filter(left_at__isnull=True).select_related("person"),
            "is_member": circles.is_member(person, circle),
            "statement": principles.statement(),
            "figures": circles.response_figures(circle),
            "minimum": circles.MINIMUM_MEMBERS_FOR_FIGURES,
        },
    )


# -- feedback on a draft -------------------------------------------------------------------


def _draft_page(request: HttpRequest, person: Person, draft: Draft, **forms: Any) -> HttpResponse:
    own_request = draft.feedback_requests.filter(reviewer=person).first()
    placed = services.placed_comments(draft)
    context: dict[str, Any] = {
        "draft": draft,
        "is_author": draft.author_id == person.pk,
        "is_personal": access.is_personal(draft),
        "own_request": own_request,
        "feedback": services.feedback_on(draft),
        "placed": placed,
        "segments": services.marked_segments(draft, placed),
        "conflicts": draft.conflicts.select_related("decider", "opened_by"),
        "publication": conflicts.publication_of(draft),
        "can_open_conflict": access.can_open_conflict(person, draft),
        "decider": access.deciding_person(draft),
        "ask_form": AskFeedbackForm(person) if draft.author_id == person.pk else None,
        "verdict_form": VerdictForm(
            initial={"verdict": own_request.verdict, "summary": own_request.summary}
        )
        if own_request
        else None,
        "comment_form": CommentForm() if own_request else None,
        "conflict_form": ConflictForm(),
    }
    context.update(forms)
    return render(request, "feedback/draft.html", context)


@person_required
@require_GET
def draft_feedback(request: HttpRequest, person: Person, draft_id: int) -> HttpResponse:
    return _draft_page(request, person, _draft(person, draft_id))


@person_required
@require_POST
def ask(request: HttpRequest, person: Person, draft_id: int) -> HttpResponse:
    draft = _draft(person, draft_id)
    if draft.author_id != person.pk:
        raise Http404
    form = AskFeedbackForm(person, request.POST)
    if not form.is_valid():
        return _draft_page(request, person, draft, ask_form=form)
    created = services.ask_feedback(
        person,
        draft,
        list(form.cleaned_data["colleagues"]),
        form.cleaned_data["circle"],
        form.cleaned_data["message"],
    )
    if created:
        names = ", ".join(r.reviewer.display_name for r in created)
        messages.success(request, _("Feedback asked of: %(names)s.") % {"names": names})
    else:
        messages.info(request, _("Everyone you chose had already been asked."))
    return redirect("feedback:draft", draft_id=draft.pk)


@person_required
@require_POST
def verdict(request: HttpRequest, person: Person, draft_id: int) -> HttpResponse:
    draft = _draft(person, draft_id)
    form = VerdictForm(request.POST)
    if not form.is_valid():
        return _draft_page(request, person, draft, verdict_form=form)
    try:
        services.give_feedback(
            person, draft, form.cleaned_data["verdict"], form.cleaned_data["summary"]
        )
    except services.FeedbackError:
        raise Http404 from None
    messages.success(request, _("Thank you: your feedback has been sent to the author."))
    return redirect("feedback:draft", draft_id=draft.pk)


@person_required
@require_POST
def comment(request: HttpRequest, person: Person, draft_id: int) -> HttpResponse:
    draft = _draft(person, draft_id)
    if not draft.feedback_requests.filter(reviewer=person).exists():
        raise Http404
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(
                person,
                draft,
                form.cleaned_data["quote"],
                form.cleaned_data["text"],
                form.cleaned_data.get("start"),
            )
        except services.FeedbackError:
            form.add_error("quote", _("That passage is not in the text of the draft."))
        else:
            messages.success(request, _("Your comment has been added."))
            return redirect("feedback:draft", draft_id=draft.pk)
    return _draft_page(request, person, draft, comment_form=form)


@person_required
@require_POST
def open_conflict(request: HttpRequest, person: Person, draft_id: int) -> HttpResponse:
    draft = _draft(person, draft_id)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        return _draft_page(request, person, draft, conflict_form=form)
    try:
        conflict = conflicts.open_conflict(person, draft, form.cleaned_data["reason"])
    except conflicts.ConflictError as error:
        form.add_error(None, _explain(error))
        return _draft_page(request, person, draft, conflict_form=form)
    messages.success(request, _("The conflict has been taken to the deciding person."))
    return redirect("feedback:conflict", conflict_id=conflict.pk)


def _explain(error: Exception) -> str:
    # The services raise with translatable messages, so the person reads it in their language.
    return str(error)


# -- conflicts -----------------------------------------------------------------------------


def _conflict_page(
    request: HttpRequest, person: Person, conflict: Conflict, **forms: Any
) -> HttpResponse:
    draft = conflict.draft
    is_author = draft.author_id == person.pk
    context: dict[str, Any] = {
        "conflict": conflict,
        "draft": draft,
        "is_author": is_author,
        "events": conflict.events.select_related("actor"),
        "positions": conflict.positions.select_related("person"),
        "feedback": services.feedback_on(draft)
        if access.sees_feedback_in_conflict(person, draft)
        else None,
        "may_decide": conflicts.may_decide(person, conflict),
        "may_take_position": conflict.is_open
        and person.pk != conflict.decider_id
        and access.can_open_conflict(person, draft),
        "decision_form": DecisionForm(),
        "position_form": PositionForm(),
    }
    if is_author and conflict.is_open:
        result = drafts.check(person, draft.account, draft.text)
        context["share_form"] = ShareFindingsForm(result["findings"])
    context.update(forms)
    return render(request, "feedback/conflict.html", context)


@person_required
@require_GET
def conflict_detail(request: HttpRequest, person: Person, conflict_id: int) -> HttpResponse:
    return _conflict_page(request, person, _conflict(person, conflict_id))


@person_required
@require_POST
def decide(request: HttpRequest, person: Person, conflict_id: int) -> HttpResponse:
    conflict = _conflict(person, conflict_id)
    form = DecisionForm(request.POST)
    if not conflicts.may_decide(person, conflict):
        return HttpResponse(_("Only the deciding person can decide this conflict."), status=403)
    if not form.is_valid():
        return _conflict_page(request, person, conflict, decision_form=form)
    conflicts.decide(
        person, conflict.pk, form.cleaned_data["decision"], form.cleaned_data["reasoning"]
    )
    messages.success(request, _("Your decision has been recorded and everyone involved told."))
    return redirect("feedback:conflict", conflict_id=conflict.pk)


@person_required
@require_POST
def position(request: HttpRequest, person: Person, conflict_id: int) -> HttpResponse:
    conflict = _conflict(person, conflict_id)
    form = PositionForm(request.POST)
    if not form.is_valid():
        return _conflict_page(request, person, conflict, position_form=form)
    try:
        conflicts.add_position(person, conflict, form.cleaned_data["text"])
    except conflicts.ConflictError:
        return HttpResponse(_("You cannot add a position to this conflict."), status=403)
    messages.success(request, _("Your position has been added."))
    return redirect("feedback:conflict", conflict_id=conflict.pk)


@person_required
@require_POST
def share(request: HttpRequest, person: Person, conflict_id: int) -> HttpResponse:
    conflict = _conflict(person, conflict_id)
    if conflict.draft.author_id != person.pk:
        return HttpResponse(_("Only the author shares their check findings."), status=403)
    result = drafts.check(person, conflict.draft.account, conflict.draft.text)
    form = ShareFindingsForm(result["findings"], request.POST)
    if form.is_valid():
        conflicts.share_findings(person, conflict, form.chosen())
        messages.success(request, _("The deciding person can now see the findings you chose."))
    return redirect("feedback:conflict", conflict_id=conflict.pk)


# -- consent from a finding ----------------------------------------------------------------


@person_required
@require_POST
def ask_consent(request: HttpRequest, person: Person) -> HttpResponse:
    name = request.POST.get("name", "")
    try:
        colleague, _request = services.ask_consent_for(person, name)
    except (services.FeedbackError, ConsentError):
        raise Http404 from None
    if request.headers.get("HX-Request"):
        # The button sits in the compose page's live check: answer with a fresh check, which
        # now shows the colleague as asked.
        return drafts_views.live_check(request)
    messages.success(
        request, _("%(name)s has been asked for consent.") % {"name": colleague.display_name}
    )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("web:consent")


# -- purposes ------------------------------------------------------------------------------


@person_required
@require_GET
def purpose_statistics(request: HttpRequest, person: Person) -> HttpResponse:
    form = PurposeScopeForm(person, request.GET or None)
    unit = form.cleaned_data["unit"] if form.is_valid() else None
    return render(
        request,
        "feedback/purposes.html",
        {
            "form": form,
            "unit": unit,
            "stats": purposes.statistics(person.organisation, unit),
            "chart_width": purposes.CHART_WIDTH,
            "chart_height": purposes.CHART_HEIGHT,
        },
    )


# -- notifications -------------------------------------------------------------------------


@person_required
def notification_list(request: HttpRequest, person: Person) -> HttpResponse:
    if request.method == "POST":
        notifications.mark_read(person)
        messages.success(request, _("All notifications are marked as read."))
        return redirect("feedback:notifications")
    items = [
        (item, notifications.render(item, request.LANGUAGE_CODE))
        for item in notifications.visible_to(person)[:100]
    ]
    return render(request, "feedback/notifications.html", {"items": items})


@person_required
@require_POST
def notification_open(request: HttpRequest, person: Person, notification_id: int) -> HttpResponse:
    item = notifications.visible_to(person).filter(pk=notification_id).first()
    if item is None:
        raise Http404
    notifications.mark_read(person, item.pk)
    if item.link and url_has_allowed_host_and_scheme(item.link, allowed_hosts=None):
        return redirect(item.link)
    return redirect("feedback:notifications")


@person_required
def preferences(request: HttpRequest, person: Person) -> HttpResponse:
    form = PreferencesForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        notifications.save_preferences(person, form.choices())
        messages.success(request, _("Your notification choices have been saved."))
        return redirect("feedback:preferences")
    return render(request, "feedback/preferences.html", {"form": form})
