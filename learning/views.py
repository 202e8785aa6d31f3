from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from allyship.forms import add_validation_error, form_error_status
from allyship.permissions import (
    get_commitment_for_user,
    get_live_or_404,
    get_reflection_for_user,
)
from allyship.types import AuthedHttpRequest
from learning import selectors, services
from learning.forms import CheckInForm, CommitmentForm, ReflectionForm
from learning.models import Course, ReflectionPrompt
from learning.recognition.rewards import level_for, next_level
from learning.refreshers import selectors as refresher_selectors


def _partial(request: AuthedHttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _home_context(user) -> dict:
    stats = selectors.stats_of(user)
    level = level_for(stats.xp_total)
    commitments = list(selectors.open_commitments(user))
    return {
        "assignments": selectors.assignments_for(user),
        "courses": selectors.courses_in_progress(user),
        "resume": selectors.resume_point(user),
        "stats": stats,
        "level": level,
        "next_level": next_level(level),
        "badges": selectors.recent_badges(user),
        "refreshers": refresher_selectors.summary_of(user),
        "due_commitments": [c for c in commitments if c.is_due],
        "open_commitments": [c for c in commitments if not c.is_due],
        "catalogue": selectors.catalogue(user)[:6],
    }


@require_GET
@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    """The learner's home: what is assigned and due, progress, XP, badges, commitments."""
    return render(request, "learning/home.html", _home_context(request.user))


@require_GET
@login_required
def catalogue(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request, "learning/course_list.html", {"courses": selectors.catalogue(request.user)}
    )


@require_GET
@login_required
def course_detail(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    course = get_live_or_404(Course.objects.all(), slug=slug)
    progress = course.progress.filter(user=request.user).first()
    modules = list(selectors.course_modules(request.user, course))
    next_module = next((cm.module for cm in modules if not cm.completed), None)
    assignment = course.assignments.filter(user=request.user, withdrawn_at__isnull=True).first()
    return render(
        request,
        "learning/course_detail.html",
        {
            "course": course,
            "progress": progress,
            "modules": modules,
            "next_module": next_module,
            "assignment": assignment,
            "today": timezone.localdate(),
        },
    )


@require_POST
@login_required
def course_start(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    course = get_live_or_404(Course.objects.all(), slug=slug)
    services.course_start(user=request.user, course=course)
    return redirect("quizzes:course-test", slug=course.slug, kind="pre")


def _module_or_404(slug: str):
    module = selectors.module_for_player(slug).first()
    if module is None:
        raise Http404("No such module.")
    return module


@require_GET
@login_required
def module_detail(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    module = _module_or_404(slug)
    lessons = list(module.lessons.all())
    done = selectors.completed_lesson_ids(request.user, module)
    progress = selectors.module_progress_of(request.user, module)
    next_lesson = next((lesson for lesson in lessons if lesson.pk not in done), None)
    commitment = module.commitments.filter(user=request.user).first()
    reflections = {
        r.prompt_id: r for r in selectors.reflections_of(request.user).filter(prompt__module=module)
    }
    return render(
        request,
        "learning/module_detail.html",
        {
            "module": module,
            "lessons": lessons,
            "done": done,
            "progress": progress,
            "next_lesson": next_lesson,
            "commitment": commitment,
            "prompts": [(p, reflections.get(p.pk)) for p in module.prompts.all()],
        },
    )


def _lesson_context(request: AuthedHttpRequest, module, lesson_slug: str) -> dict:
    lessons = list(module.lessons.all())
    index = next((i for i, lesson in enumerate(lessons) if lesson.slug == lesson_slug), None)
    if index is None:
        raise Http404("That lesson is not part of this module.")
    lesson = lessons[index]
    done = selectors.completed_lesson_ids(request.user, module)
    remaining = sum(
        item.minutes for item in lessons[index:] if item.pk not in done or item.pk == lesson.pk
    )
    return {
        "module": module,
        "lesson": lesson,
        "lessons": lessons,
        "position": index + 1,
        "previous": lessons[index - 1] if index > 0 else None,
        "next": lessons[index + 1] if index + 1 < len(lessons) else None,
        "done": done,
        "is_done": lesson.pk in done,
        "minutes_left": remaining,
        "percent": len(done & {item.pk for item in lessons}) * 100 // max(len(lessons), 1),
    }


@require_GET
@login_required
@vary_on_headers("HX-Request")
def lesson_detail(request: AuthedHttpRequest, slug: str, lesson_slug: str) -> HttpResponse:
    module = _module_or_404(slug)
    context = _lesson_context(request, module, lesson_slug)
    services.lesson_visit(user=request.user, lesson=context["lesson"])
    template = "learning/lesson_detail.html"
    return render(request, f"{template}#lesson-area" if _partial(request) else template, context)


@require_POST
@login_required
@vary_on_headers("HX-Request")
def lesson_complete(request: AuthedHttpRequest, slug: str, lesson_slug: str) -> HttpResponse:
    module = _module_or_404(slug)
    context = _lesson_context(request, module, lesson_slug)
    services.lesson_complete(user=request.user, lesson=context["lesson"])
    following = context["next"]
    if following is None:
        target = reverse("quizzes:module-check", args=[module.slug])
        if request.htmx:
            return HttpResponseClientRedirect(target)
        return redirect(target)
    target = reverse("learning:lesson-detail", args=[module.slug, following.slug])
    if not request.htmx:
        return redirect(target)
    response = render(
        request,
        "learning/lesson_detail.html#lesson-area",
        _lesson_context(request, module, following.slug),
    )
    response["HX-Push-Url"] = target
    return response


@require_http_methods(["GET", "POST"])
@login_required
def module_commit(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    module = _module_or_404(slug)
    existing = module.commitments.filter(user=request.user).first()
    suggestions = list(module.suggestions.all())
    form = CommitmentForm(request.POST or None, suggestions=suggestions)
    status = 200
    if request.method == "POST" and existing is None:
        if form.is_valid():
            try:
                services.commitment_make(
                    user=request.user,
                    module=module,
                    suggestion=form.suggestion,
                    text=form.cleaned_data["text"] if form.suggestion is None else "",
                    check_in_on=form.cleaned_data["check_in_on"],
                    situation=form.cleaned_data["situation"],
                    private_note=form.cleaned_data["private_note"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request,
                    "Plan made. From the date you chose we will ask whether the moment came "
                    "up and how it went.",
                )
                return redirect("learning:module-detail", slug=module.slug)
        status = form_error_status(request)
    elif request.method == "POST":
        status = 409
    return render(
        request,
        "learning/module_commit.html",
        {"module": module, "form": form, "existing": existing},
        status=status,
    )


@require_GET
@login_required
def commitment_list(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "learning/commitment_list.html",
        {"commitments": selectors.commitments_of(request.user), "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def commitment_check_in(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    commitment = get_commitment_for_user(request.user, pk)
    today = timezone.localdate()
    form = CheckInForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = services.commitment_check_in(
                    user=request.user,
                    commitment=commitment,
                    arose=form.situation_arose,
                    status=form.cleaned_data["status"],
                    went=form.cleaned_data["went"],
                    note=form.cleaned_data["note"],
                    new_check_in_on=form.cleaned_data["new_check_in_on"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _check_in_message(result))
                return redirect("learning:commitment-list")
        status = form_error_status(request)
    return render(
        request,
        "learning/commitment_check_in.html",
        {"commitment": commitment, "form": form, "early": today < commitment.check_in_on},
        status=status,
    )


def _check_in_message(commitment) -> str:
    if commitment.status == "open":
        return (
            "Thanks. The plan stays open for one more window: we will ask again on "
            f"{commitment.check_in_on:%-d %B}."
        )
    if commitment.followed_through and not commitment.xp_paid:
        return (
            "Thank you for reporting back. Follow-through XP is paid for at most two plans a "
            "week; this one is recorded and counts toward your follow-through badges."
        )
    return "Thank you for reporting back."


@require_GET
@login_required
def reflection_list(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "learning/reflection_list.html",
        {"reflections": selectors.reflections_of(request.user)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def reflection_edit(request: AuthedHttpRequest, prompt_id: int) -> HttpResponse:
    prompt = get_live_or_404(ReflectionPrompt.objects.select_related("module"), pk=prompt_id)
    reflection = get_reflection_for_user(request.user, prompt.pk)
    initial = {"text": reflection.text} if reflection else None
    form = ReflectionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reflection_save(
                    user=request.user, prompt=prompt, text=form.cleaned_data["text"]
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, "Reflection saved. Only you can read it.")
                return redirect("learning:module-detail", slug=prompt.module.slug)
        status = form_error_status(request)
    return render(
        request,
        "learning/reflection_edit.html",
        {"prompt": prompt, "reflection": reflection, "form": form},
        status=status,
    )


@require_POST
@login_required
def reflection_delete(request: AuthedHttpRequest, prompt_id: int) -> HttpResponse:
    reflection = get_reflection_for_user(request.user, prompt_id)
    if reflection is None:
        raise Http404("You have no reflection on that prompt.")
    services.reflection_delete(user=request.user, reflection=reflection)
    messages.success(request, "Reflection deleted.")
    return redirect("learning:reflection-list")


@require_GET
@login_required
def reflection_download(request: AuthedHttpRequest, extension: str) -> HttpResponse:
    if extension not in {"md", "txt"}:
        raise Http404("Reflections download as .md or .txt.")
    reflections = selectors.reflections_of(request.user)
    markdown = extension == "md"
    lines = ["# My reflections" if markdown else "MY REFLECTIONS", ""]
    for reflection in reflections:
        module = reflection.prompt.module.title
        if markdown:
            lines += [f"## {module}", "", f"> {reflection.prompt.prompt}", ""]
        else:
            lines += [module.upper(), reflection.prompt.prompt, ""]
        lines += [reflection.text, "", f"Last edited {reflection.updated_at:%d %B %Y}", ""]
    content_type = "text/markdown" if markdown else "text/plain"
    response = HttpResponse("\n".join(lines), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-reflections.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response
