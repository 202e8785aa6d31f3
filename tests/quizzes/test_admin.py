"""The admin corrects wording only; structure and scoring come from the curriculum files."""

import pytest
from django.urls import reverse

from quizzes.models import Response
from tests.quizzes.conftest import response_at

pytestmark = pytest.mark.django_db


def test_hr_can_browse_scenarios_and_questions_in_the_admin(client_for, hr, scenario):
    from tests.factories import QuestionFactory

    question = QuestionFactory()
    client = client_for(hr)
    hr.is_superuser = True
    hr.save()
    for url in (
        reverse("admin:quizzes_scenario_changelist"),
        reverse("admin:quizzes_scenario_change", args=[scenario.pk]),
        reverse("admin:quizzes_response_changelist"),
        reverse("admin:quizzes_question_change", args=[question.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:quizzes_scenario_add")).status_code == 403


def test_correcting_feedback_in_the_admin_renders_it_and_keeps_the_points(client_for, hr, scenario):
    hr.is_superuser = True
    hr.save()
    response = response_at(scenario, "step-1", "strong")
    client_for(hr).post(
        reverse("admin:quizzes_response_change", args=[response.pk]),
        {
            "text": "Corrected text.",
            "feedback": "Now **clearer**.",
            "points": 0,
            "rating": "harmful",
        },
    )
    response = Response.objects.get(pk=response.pk)
    assert response.text == "Corrected text."
    assert response.feedback_html == "<p>Now <strong>clearer</strong>.</p>"
    assert (response.rating, response.points) == ("strong", 10)
