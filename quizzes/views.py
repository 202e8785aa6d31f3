from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from allyship.forms import form_error_status
from allyship.permissions import get_attempt_for_user, get_attempt_row_for_user, get_live_or_404
from allyship.types import AuthedHttpRequest
from learning.models import Course, Module
from quizzes import selectors, services
from quizzes.forms import AnswersForm, ChoiceForm
from quizzes.models import AnswerContext, Attempt, Scenario

ALREADY_ANSWERED = (
    "You had already answered that step, so your first answer stands. Here is where you are now."
)
ALREADY_FINISHED = "This attempt is finished, so nothing more was recorded. Here is your debrief."
TEST_TITLES = {AnswerContext.PRE: "Starting quiz", AnswerContext.POST: "Closing quiz"}


# Scenarios ------------------------------------------------------------------------------


@require_GET
@login_required
def scenario_list(request: AuthedHttpRequest) -> HttpResponse:
    scenarios = selectors.scenario_catalogue(request.user)
    return render(request, "quizzes/scenario_list.html", {"scenarios": scenarios})


@require_GET
@login_required
def scenario_detail(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    scenario = get_live_or_404(Scenario.objects.select_related("principle"), slug=slug)
    attempts = list(selectors.scenario_attempts(request.user, scenario))
    return render(
        request,
        "quizzes/scenario_detail.html",
        {
            "scenario": scenario,
            "attempts": attempts,
            "unfinished": next((a for a in attempts if a.finished_at is None), None),
            "result": selectors.scenario_result(request.user, scenario),
        },
    )


@require_POST
@login_required
def attempt_start(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    scenario = get_live_or_404(Scenario.objects.all(), slug=slug)
    try:
        attempt = services.attempt_start(scenario=scenario, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("quizzes:scenario-detail", slug=scenario.slug)
    return redirect("quizzes:attempt-detail", pk=attempt.pk)


def _attempt_context(attempt: Attempt, *, error: str = "", note: str = "") -> dict:
    context = {"attempt": attempt, "scenario": attempt.scenario, "error": error, "note": note}
    if attempt.finished_at is not None:
        path = list(selectors.attempt_path(attempt))
        context.update(
            path=path,
            chosen=[choice.response_id for choice in path],
            turning_points=selectors.turning_points(path, attempt.ending),
            strongest=selectors.strongest_moves(attempt.scenario),
            result=selectors.scenario_result(attempt.user_id, attempt.scenario),
        )
    else:
        context.update(
            step=attempt.current_step,
            responses=selectors.responses_for_display(attempt),
            last_choice=selectors.last_choice(attempt),
            decision=attempt.choices_made + 1,
        )
    return context


@require_GET
@login_required
def attempt_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    attempt = get_attempt_for_user(request.user, pk)
    return render(request, "quizzes/attempt_detail.html", _attempt_context(attempt))


@require_POST
@login_required
@vary_on_headers("HX-Request")
def attempt_choose(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    attempt = get_attempt_row_for_user(request.user, pk)
    form = ChoiceForm(request.POST)
    error = note = ""
    if not form.is_valid():
        error = next(iter(form.errors.values()))[0]
    else:
        try:
            outcome = services.attempt_choose(
                attempt=attempt,
                step_id=form.cleaned_data["step"],
                response_id=form.cleaned_data["response"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if not outcome.recorded:
                note = ALREADY_FINISHED if outcome.attempt.finished_at else ALREADY_ANSWERED
    if request.htmx or error:
        attempt = get_attempt_for_user(request.user, pk)  # with what the page shows
    if request.htmx:
        return render(
            request,
            "quizzes/attempt_detail.html#attempt-panel",
            _attempt_context(attempt, error=error, note=note),
        )
    if error:
        return render(
            request,
            "quizzes/attempt_detail.html",
            _attempt_context(attempt, error=error),
            status=form_error_status(request),
        )
    if note:
        messages.info(request, note)
    return redirect("quizzes:attempt-detail", pk=attempt.pk)


# Knowledge checks and course tests ------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def module_check(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    module = get_live_or_404(Module.objects.select_related("principle"), slug=slug)
    questions = list(selectors.check_questions(module))
    answers = selectors.answers_by_question(request.user, questions, AnswerContext.MODULE)
    unanswered = [question for question in questions if question.pk not in answers]
    orders = selectors.option_orders(
        unanswered, user_id=request.user.pk, context=AnswerContext.MODULE
    )
    form = AnswersForm(
        unanswered, data=request.POST if request.method == "POST" else None, orders=orders
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.module_check_submit(
                module=module, selections=form.selections(), acting_user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Your answers are saved. Each one is explained below.")
            return redirect("quizzes:module-check", slug=module.slug)
    return render(
        request,
        "quizzes/module_check.html",
        {
            "module": module,
            "form": form,
            "reviews": selectors.answer_reviews(questions, answers),
            "complete": bool(questions) and not unanswered,
        },
        status=form_error_status(request) if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def course_test(request: AuthedHttpRequest, slug: str, kind: str) -> HttpResponse:
    if kind not in (AnswerContext.PRE, AnswerContext.POST):
        raise Http404("There is no such quiz.")
    course = get_live_or_404(Course.objects.all(), slug=slug)
    questions = list(selectors.course_test_questions(course, kind))
    answers = selectors.answers_by_question(request.user, questions, kind, course)
    title = TEST_TITLES[AnswerContext(kind)]
    reason = selectors.course_test_lock_reason(request.user, course, kind, bool(answers))
    if reason:
        return render(
            request,
            "quizzes/course_test_locked.html",
            {"course": course, "title": title, "reason": reason, "kind": kind},
            status=409,
        )
    unanswered = [question for question in questions if question.pk not in answers]
    orders = selectors.option_orders(
        unanswered, user_id=request.user.pk, context=kind, course_id=course.pk
    )
    form = AnswersForm(
        unanswered, data=request.POST if request.method == "POST" else None, orders=orders
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.course_test_submit(
                course=course, context=kind, selections=form.selections(), acting_user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Thank you: your {title.lower()} is saved.")
            return redirect("quizzes:course-test", slug=course.slug, kind=kind)
    complete = bool(questions) and not unanswered
    context = {
        "course": course,
        "kind": kind,
        "title": title,
        "form": form,
        "complete": complete,
        "percent": selectors.average_percent(answers.values()),
    }
    if complete and kind == AnswerContext.POST:
        # Explanations come after the closing quiz, so the starting quiz cannot teach its answers.
        context.update(
            reviews=selectors.answer_reviews(questions, answers),
            gain=selectors.course_knowledge_gain(user=request.user, course=course),
            principles=selectors.knowledge_gain_by_principle(user=request.user, course=course),
        )
    return render(
        request,
        "quizzes/course_test.html",
        context,
        status=form_error_status(request) if form.errors else 200,
    )
