import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from learning import services
from learning.models import Commitment, LessonCompletion, Reflection
from tests.factories import UserFactory
from tests.learning.builders import (
    build_course,
    build_module,
    module_start,
    plan_come_due,
    plan_make,
)

pytestmark = pytest.mark.django_db


def _in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_lesson_page_shows_position_time_left_and_navigation(client, employee, module):
    client.force_login(employee)
    url = reverse("learning:lesson-detail", args=[module.slug, "lesson-2"])
    response = client.get(url)
    assert response.status_code == 200
    assert "Lesson 2 of 3" in response.text
    assert "Previous: Lesson 1" in response.text and "Skip to: Lesson 3" in response.text
    assert "min left" in response.text


def test_htmx_gets_only_the_lesson_area(client, employee, module):
    client.force_login(employee)
    url = reverse("learning:lesson-detail", args=[module.slug, "lesson-2"])
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<article id="lesson-area"')
    assert "<html" not in response.text
    assert "HX-Request" in response.headers["Vary"]


def test_completing_a_lesson_without_javascript_redirects_to_the_next(client, employee, module):
    client.force_login(employee)
    response = client.post(reverse("learning:lesson-complete", args=[module.slug, "lesson-1"]))
    assert response.status_code == 302
    assert response.url == reverse("learning:lesson-detail", args=[module.slug, "lesson-2"])
    assert LessonCompletion.objects.filter(user=employee).count() == 1


def test_completing_a_lesson_with_htmx_swaps_in_the_next_and_pushes_its_url(
    client, employee, module
):
    client.force_login(employee)
    response = client.post(
        reverse("learning:lesson-complete", args=[module.slug, "lesson-1"]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Lesson 2 of 3" in response.text
    assert response["HX-Push-Url"] == reverse(
        "learning:lesson-detail", args=[module.slug, "lesson-2"]
    )


def test_last_lesson_leads_to_the_knowledge_check(client, employee, module):
    client.force_login(employee)
    response = client.post(reverse("learning:lesson-complete", args=[module.slug, "lesson-3"]))
    assert response.url == reverse("quizzes:module-check", args=[module.slug])


def test_a_lesson_from_another_module_is_a_404_and_records_nothing(client, employee, module):
    other = build_module()
    client.force_login(employee)
    response = client.post(
        reverse("learning:lesson-complete", args=[module.slug, "no-such-lesson"])
    )
    assert response.status_code == 404
    response = client.get(reverse("learning:lesson-detail", args=[other.slug, "lesson-9"]))
    assert response.status_code == 404
    assert not LessonCompletion.objects.exists()


def test_completion_posted_twice_counts_once(client, employee, module):
    client.force_login(employee)
    url = reverse("learning:lesson-complete", args=[module.slug, "lesson-1"])
    client.post(url)
    client.post(url)
    assert LessonCompletion.objects.filter(user=employee).count() == 1


def test_progress_resumes_on_another_device(client, employee, module):
    client.force_login(employee)
    client.get(reverse("learning:lesson-detail", args=[module.slug, "lesson-2"]))
    client.logout()
    client.force_login(employee)  # a new session: another device
    home = client.get("/")
    assert reverse("learning:lesson-detail", args=[module.slug, "lesson-2"]) in home.text


def test_commitment_form_errors_are_clear_and_save_nothing(client, employee, module):
    client.force_login(employee)
    url = reverse("learning:module-commit", args=[module.slug])
    response = client.post(url, {"choice": "own", "text": "", "check_in_on": _in_days(40)})
    assert response.status_code == 400
    assert "Write your own action" in response.text
    assert "at most 30 days" in response.text
    response = client.post(url, {"choice": "999999", "check_in_on": _in_days(5)})
    assert "not one of this module" in response.text
    assert not Commitment.objects.exists()


def test_an_if_then_plan_is_made_from_a_suggestion_and_the_learners_situation(
    client, employee, module
):
    module_start(employee, module)
    client.force_login(employee)
    suggestion = module.suggestions.first()
    response = client.post(
        reverse("learning:module-commit", args=[module.slug]),
        {
            "choice": str(suggestion.pk),
            "situation": "When a colleague is talked over in stand-up",
            "check_in_on": _in_days(5),
            "private_note": "Thinking of Sam",
        },
    )
    assert response.status_code == 302
    plan = Commitment.objects.get(user=employee)
    assert plan.action == suggestion.text
    assert plan.situation == "a colleague is talked over in stand-up"
    assert plan.text == f"When a colleague is talked over in stand-up, I will {suggestion.text}"
    assert plan.private_note == "Thinking of Sam"


def test_a_plan_without_a_situation_is_refused_with_a_clear_message(client, employee, module):
    module_start(employee, module)
    client.force_login(employee)
    response = client.post(
        reverse("learning:module-commit", args=[module.slug]),
        {"choice": str(module.suggestions.first().pk), "check_in_on": _in_days(5)},
    )
    assert response.status_code == 400
    assert "Say when you will do it" in response.text
    assert not Commitment.objects.exists()


def test_check_in_is_asked_on_home_when_due(client, employee, module):
    commitment = plan_make(employee, module, days=1)
    plan_come_due(commitment)
    client.force_login(employee)
    home = client.get("/")
    assert "Check-ins due" in home.text
    assert reverse("learning:commitment-check-in", args=[commitment.pk]) in home.text


def test_another_persons_commitment_is_a_404(client, employee, manager, module):
    commitment = plan_make(employee, module, days=2, text="Mine")
    client.force_login(manager)
    url = reverse("learning:commitment-check-in", args=[commitment.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "done"}).status_code == 404
    commitment.refresh_from_db()
    assert commitment.status == "open"


def test_reflections_are_private_to_their_author(client, employee, manager, hr, module):
    prompt = module.prompts.first()
    services.reflection_save(user=employee, prompt=prompt, text="My private words")
    for other in (manager, hr):
        client.force_login(other)
        assert "My private words" not in client.get(reverse("learning:reflection-list")).text
        page = client.get(reverse("learning:reflection-edit", args=[prompt.pk]))
        assert "My private words" not in page.text
        download = client.get(reverse("learning:reflection-download", args=["md"]))
        assert b"My private words" not in download.content
        assert (
            client.post(reverse("learning:reflection-delete", args=[prompt.pk])).status_code == 404
        )
    assert Reflection.objects.filter(user=employee).count() == 1


def test_reflections_are_not_in_the_admin(client, hr):
    client.force_login(hr)
    assert "reflection" not in client.get("/admin/").text.lower()
    assert client.get("/admin/learning/reflection/").status_code == 404


def test_reflection_edit_delete_and_download(client, employee, module):
    prompt = module.prompts.first()
    client.force_login(employee)
    url = reverse("learning:reflection-edit", args=[prompt.pk])
    assert client.post(url, {"text": ""}).status_code == 400
    client.post(url, {"text": "I noticed I interrupt."})
    client.post(url, {"text": "I noticed I interrupt, and stopped."})
    assert Reflection.objects.get(user=employee).text.endswith("stopped.")
    markdown = client.get(reverse("learning:reflection-download", args=["md"]))
    assert markdown["Content-Type"].startswith("text/markdown")
    assert b"stopped." in markdown.content and b"What did you notice?" in markdown.content
    text = client.get(reverse("learning:reflection-download", args=["txt"]))
    assert text["Content-Type"].startswith("text/plain")
    assert client.get(reverse("learning:reflection-download", args=["exe"])).status_code == 404
    client.post(reverse("learning:reflection-delete", args=[prompt.pk]))
    assert not Reflection.objects.exists()


def test_reflection_over_the_limit_is_refused(client, employee, module):
    prompt = module.prompts.first()
    client.force_login(employee)
    response = client.post(
        reverse("learning:reflection-edit", args=[prompt.pk]), {"text": "x" * 5001}
    )
    assert response.status_code == 400
    assert "at most 5000 characters" in response.text
    assert not Reflection.objects.exists()


def test_home_lists_assignments_overdue_first(client, employee):
    from learning.models import Assignment

    late = build_course([build_module()])
    soon = build_course([build_module()])
    today = timezone.localdate()
    Assignment.objects.create(user=employee, course=soon, due_on=today + datetime.timedelta(days=5))
    Assignment.objects.create(user=employee, course=late, due_on=today - datetime.timedelta(days=2))
    client.force_login(employee)
    text = client.get("/").text
    assert text.index(late.title) < text.index(soon.title)
    assert "Overdue since" in text


def _populate(user, size):
    modules = [build_module() for _ in range(size)]
    course = build_course(modules)
    services.course_start(user=user, course=course)
    for index, module in enumerate(modules):
        services.lesson_complete(user=user, lesson=module.lessons.first())
        plan = services.commitment_make(
            user=user,
            module=module,
            suggestion=None,
            situation="a meeting starts",
            text="Act",
            check_in_on=timezone.localdate() + datetime.timedelta(days=3),
        )
        if index % 2:  # half of them reported on, so the open-plan limit is never met
            plan_come_due(plan)
            services.commitment_check_in(user=user, commitment=plan, status="done")
        services.reflection_save(user=user, prompt=module.prompts.first(), text="Thought")
    from learning.models import Assignment

    Assignment.objects.create(user=user, course=course, due_on=timezone.localdate())
    for _ in range(size):
        UserFactory()
    return modules, course


@pytest.mark.parametrize("size", [1, 8])
def test_learning_pages_cost_constant_queries(
    client, employee, django_assert_max_num_queries, size
):
    modules, course = _populate(employee, size)
    client.force_login(employee)
    pages = {
        "/": 14,
        reverse("learning:course-list"): 8,
        reverse("learning:course-detail", args=[course.slug]): 10,
        reverse("learning:module-detail", args=[modules[0].slug]): 14,
        reverse("learning:lesson-detail", args=[modules[0].slug, "lesson-1"]): 14,
        reverse("learning:commitment-list"): 8,
        reverse("learning:reflection-list"): 8,
        reverse("learning:reflection-download", args=["md"]): 6,
    }
    for url, limit in pages.items():
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url
