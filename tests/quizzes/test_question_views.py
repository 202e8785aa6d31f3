"""Knowledge checks inside modules, and the course pre- and post-tests."""

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import CourseProgress, ModuleProgress, XpEvent
from quizzes.models import Answer
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _check_url(module) -> str:
    return reverse("quizzes:module-check", args=[module.slug])


def _test_url(course, kind: str) -> str:
    return reverse("quizzes:course-test", args=[course.slug, kind])


def _answers(questions, pick) -> dict:
    """Form data choosing, for each question, the options `pick(options)` returns."""
    data = {}
    for question in questions:
        options = list(question.options.order_by("order"))
        data[f"question-{question.pk}"] = [option.pk for option in pick(options)]
    return data


def _right(options):
    return [option for option in options if option.is_correct]


def _wrong(options):
    return [next(option for option in options if not option.is_correct)]


def _questions(module_or_course, purpose="check"):
    if purpose == "check":
        return list(module_or_course.questions.filter(purpose="check").order_by("order"))
    return [
        question
        for cm in module_or_course.course_modules.order_by("order")
        for question in cm.module.questions.filter(purpose="assessment")
    ]


def _complete(user, course) -> None:
    CourseProgress.objects.create(
        user=user, course=course, percent=100, completed_at=timezone.now()
    )


# Module knowledge check -----------------------------------------------------------------


def test_the_check_shows_radios_and_checkboxes_in_fieldsets_without_explanations(
    client_for, employee, module_with_check
):
    single, multiple = _questions(module_with_check)
    page = client_for(employee).get(_check_url(module_with_check)).content.decode()
    assert page.count("<fieldset") == 2 and page.count("<legend>") == 2
    assert f'type="radio" name="question-{single.pk}"' in page
    assert f'type="checkbox" name="question-{multiple.pk}"' in page
    assert "Choose all that apply." in page
    assert single.explanation not in page and multiple.explanation not in page
    assert "Correct answer" not in page


def test_answering_scores_on_the_server_explains_and_completes_the_check(
    client_for, employee, module_with_check
):
    client = client_for(employee)
    questions = _questions(module_with_check)
    response = client.post(_check_url(module_with_check), _answers(questions, _right))
    assert response.status_code == 302
    answers = Answer.objects.filter(user=employee, context="module")
    assert sorted(answers.values_list("score", "is_correct")) == [(1.0, True), (1.0, True)]
    assert ModuleProgress.objects.get(user=employee, module=module_with_check).check_completed
    page = client.get(_check_url(module_with_check)).content.decode()
    for question in questions:
        assert question.explanation in page
    assert page.count(">Right</span>") == 2
    assert reverse("learning:module-commit", args=[module_with_check.slug]) in page
    assert reverse("learning:module-detail", args=[module_with_check.slug]) in page
    assert "<fieldset" not in page


def test_a_multiple_choice_answer_with_one_of_two_right_earns_half(
    client_for, employee, module_with_check
):
    single, multiple = _questions(module_with_check)
    data = _answers([single], _right) | _answers([multiple], lambda options: _right(options)[:1])
    client = client_for(employee)
    client.post(_check_url(module_with_check), data)
    answer = Answer.objects.get(question=multiple)
    assert (answer.score, answer.is_correct) == (0.5, False)
    assert "Partly right" in client.get(_check_url(module_with_check)).content.decode()


def test_an_unanswered_question_is_an_accessible_error_and_nothing_is_saved(
    client_for, employee, module_with_check
):
    single, multiple = _questions(module_with_check)
    response = client_for(employee).post(_check_url(module_with_check), _answers([single], _right))
    page = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary" role="alert"' in page
    assert f'href="#id_question-{multiple.pk}"' in page
    assert (
        f'aria-describedby="id_question-{multiple.pk}_hint id_question-{multiple.pk}_error"' in page
    )
    assert "Choose at least one answer to this question." in page
    assert not Answer.objects.exists()


def test_an_option_of_another_question_is_refused(client_for, employee, module_with_check):
    single, multiple = _questions(module_with_check)
    data = _answers([multiple], _right)
    data[f"question-{single.pk}"] = [multiple.options.first().pk]
    response = client_for(employee).post(_check_url(module_with_check), data)
    assert response.status_code == 400
    assert "Choose one of the options shown." in response.content.decode()
    assert not Answer.objects.exists()


def test_a_stored_answer_never_changes_and_the_check_completes_once(
    client_for, employee, module_with_check, monkeypatch
):
    import quizzes.services

    calls = []
    real = quizzes.services.module_check_complete
    monkeypatch.setattr(
        quizzes.services,
        "module_check_complete",
        lambda **kwargs: calls.append(kwargs) or real(**kwargs),
    )
    client = client_for(employee)
    questions = _questions(module_with_check)
    client.post(_check_url(module_with_check), _answers(questions, _wrong))
    assert len(calls) == 1
    # Replaying better answers (another tab, the back button) changes nothing.
    response = client.post(_check_url(module_with_check), _answers(questions, _right))
    assert response.status_code == 302
    assert sorted(Answer.objects.values_list("score", flat=True)) == [0, 0]
    assert len(calls) == 1
    # A question added to the module later is asked on its own, and completes the check again.
    added = QuestionFactory(module=module_with_check, order=2)
    page = client.get(_check_url(module_with_check)).content.decode()
    assert page.count("<fieldset") == 1 and added.prompt in page
    client.post(_check_url(module_with_check), _answers([added], _right))
    assert Answer.objects.count() == 3 and len(calls) == 2


def test_retired_questions_are_not_asked(client_for, employee, module_with_check):
    retired = QuestionFactory(module=module_with_check, retired=True)
    page = client_for(employee).get(_check_url(module_with_check)).content.decode()
    assert retired.prompt not in page


def test_a_retired_module_has_no_check(client_for, employee, module_with_check):
    module_with_check.retired = True
    module_with_check.save()
    assert client_for(employee).get(_check_url(module_with_check)).status_code == 404


# Course pre- and post-test --------------------------------------------------------------


def test_the_pre_test_asks_each_modules_assessment_in_course_order(client_for, employee, course):
    first, second = _questions(course, "assessment")
    page = client_for(employee).get(_test_url(course, "pre")).content.decode()
    assert "Starting quiz" in page
    assert page.index(first.prompt) < page.index(second.prompt)
    assert reverse("learning:course-detail", args=[course.slug]) in page


def test_the_pre_test_is_stored_once_and_keeps_its_explanations_back(client_for, employee, course):
    client = client_for(employee)
    questions = _questions(course, "assessment")
    client.post(_test_url(course, "pre"), _answers(questions, _wrong))
    assert Answer.objects.filter(context="pre", course=course, score=0).count() == 2
    page = client.get(_test_url(course, "pre")).content.decode()
    assert "You scored 0% on the starting quiz" in page
    assert questions[0].explanation not in page
    # It can be taken once: a replay with the right answers changes nothing.
    response = client.post(_test_url(course, "pre"), _answers(questions, _right))
    assert response.status_code == 302
    assert Answer.objects.filter(context="pre", score=0).count() == 2


def test_the_post_test_waits_until_the_course_is_finished(client_for, employee, course):
    client = client_for(employee)
    questions = _questions(course, "assessment")
    response = client.get(_test_url(course, "post"))
    assert response.status_code == 409
    assert "finished every module" in response.content.decode()
    response = client.post(_test_url(course, "post"), _answers(questions, _right))
    assert response.status_code == 409
    assert not Answer.objects.exists()


def test_the_pre_test_closes_once_the_course_is_finished(client_for, employee, course):
    _complete(employee, course)
    response = client_for(employee).get(_test_url(course, "pre"))
    assert response.status_code == 409
    assert _test_url(course, "post") in response.content.decode()


def test_the_post_test_shows_gain_per_principle_and_pays_for_growth(client_for, employee, course):
    client = client_for(employee)
    questions = _questions(course, "assessment")
    client.post(_test_url(course, "pre"), _answers(questions, _wrong))
    _complete(employee, course)
    response = client.post(_test_url(course, "post"), _answers(questions, _right))
    assert response.status_code == 302
    page = client.get(_test_url(course, "post")).content.decode()
    assert "You scored 100% on the closing quiz. That is 100 points more" in page
    assert page.count("+100 points") == 2
    for question in questions:
        assert question.explanation in page
    assert XpEvent.objects.filter(user=employee, source=f"gain:{course.pk}").count() == 1


def test_the_post_test_without_a_pre_test_has_nothing_to_compare(client_for, employee, course):
    _complete(employee, course)
    client = client_for(employee)
    client.post(_test_url(course, "post"), _answers(_questions(course, "assessment"), _right))
    page = client.get(_test_url(course, "post")).content.decode()
    assert "nothing to compare it with" in page
    assert not XpEvent.objects.filter(source=f"gain:{course.pk}").exists()


def test_finishing_a_test_calls_the_learning_hook_once(client_for, employee, course, monkeypatch):
    import learning.events

    calls = []
    monkeypatch.setattr(
        learning.events, "course_test_finished", lambda **kwargs: calls.append(kwargs)
    )
    client = client_for(employee)
    questions = _questions(course, "assessment")
    client.post(_test_url(course, "pre"), _answers(questions, _right))
    client.post(_test_url(course, "pre"), _answers(questions, _right))
    assert calls == [{"user": employee, "course": course, "context": "pre"}]


def test_an_unknown_kind_of_test_is_a_404(client_for, employee, course):
    assert client_for(employee).get(_test_url(course, "mid")).status_code == 404


# Unguessable questions: shuffled per learner and attempt, order stored ----------------


def _shown_order(page: str, question) -> list[int]:
    """Option ids in the order the page lists them for a question."""
    ids = [option.pk for option in question.options.all()]
    return sorted(ids, key=lambda pk: page.index(f'value="{pk}"'))


def test_options_are_shuffled_per_learner_stable_on_reload_and_stored_with_the_answer(
    client_for, module_with_check
):
    question = _questions(module_with_check)[1]  # four options
    orders = set()
    for _ in range(8):
        learner = UserFactory()
        client = client_for(learner)
        first = _shown_order(client.get(_check_url(module_with_check)).content.decode(), question)
        again = _shown_order(client.get(_check_url(module_with_check)).content.decode(), question)
        assert again == first
        orders.add(tuple(first))
        client.post(_check_url(module_with_check), _answers(_questions(module_with_check), _right))
        answer = Answer.objects.get(user=learner, question=question)
        assert answer.option_order == first
    # 24 orders are possible for four options: eight learners do not all see one of them.
    assert len(orders) > 1


def test_the_review_lists_options_in_the_order_the_learner_saw_them(
    client_for, employee, module_with_check
):
    client = client_for(employee)
    question = _questions(module_with_check)[1]
    client.post(_check_url(module_with_check), _answers(_questions(module_with_check), _right))
    shown = Answer.objects.get(user=employee, question=question).option_order
    page = client.get(_check_url(module_with_check)).content.decode()
    texts = [question.options.get(pk=pk).text for pk in shown]
    assert sorted(texts, key=page.index) == texts


def test_pre_and_post_tests_serve_their_own_parallel_forms(client_for, employee, course):
    module = course.course_modules.order_by("order").first().module
    pre_only = QuestionFactory(module=module, purpose="assessment", form="pre")
    post_only = QuestionFactory(module=module, purpose="assessment", form="post")
    client = client_for(employee)
    pre_page = client.get(_test_url(course, "pre")).content.decode()
    assert pre_only.prompt in pre_page and post_only.prompt not in pre_page
    _complete(employee, course)
    post_page = client.get(_test_url(course, "post")).content.decode()
    assert post_only.prompt in post_page and pre_only.prompt not in post_page
