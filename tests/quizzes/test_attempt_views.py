"""Playing a scenario through its pages: server-side scoring, tampering, replays, privacy."""

import pytest
from django.urls import reverse

from learning.models import XpEvent
from quizzes import services
from quizzes.models import Attempt, Choice, ScenarioResult
from tests.factories import scenario_file, scenario_from_file
from tests.quizzes.conftest import choose, response_at, step_of

pytestmark = pytest.mark.django_db

STRONGEST = [("step-1", "strong"), ("step-2", "strong"), ("step-3", "strong"), ("step-4", "strong")]
HARMFUL_START = [
    ("step-1", "harmful"),
    ("consequence", "partial"),
    ("step-3", "partial"),
    ("step-4", "harmful"),
]


def _play(client, attempt, path) -> None:
    for step, rating in path:
        assert choose(client, attempt, step, rating).status_code == 302


def _detail(attempt) -> str:
    return reverse("quizzes:attempt-detail", args=[attempt.pk])


# Scenario pages and starting ------------------------------------------------------------


def test_scenario_list_shows_live_scenarios_and_the_learners_best(client_for, employee, scenario):
    retired = scenario_file(slug="old-scenario")
    retired["retired"] = True
    scenario_from_file(retired)
    client = client_for(employee)
    page = client.get(reverse("quizzes:scenario-list")).content.decode()
    assert scenario.title in page and "Not started" in page
    assert "old-scenario" not in page

    attempt = services.attempt_start(scenario=scenario, acting_user=employee)
    _play(client, attempt, STRONGEST)
    page = client.get(reverse("quizzes:scenario-list")).content.decode()
    assert "Best score 39 of 39" in page and "1 finished attempt" in page


def test_scenario_detail_offers_start_then_continue_then_try_again(client_for, employee, scenario):
    client = client_for(employee)
    url = reverse("quizzes:scenario-detail", args=[scenario.slug])
    assert ">Start</button>" in client.get(url).content.decode()
    attempt = services.attempt_start(scenario=scenario, acting_user=employee)
    assert "Continue attempt 1" in client.get(url).content.decode()
    _play(client, attempt, STRONGEST)
    page = client.get(url).content.decode()
    assert "Try again" in page and "Things change" in page and "39 of 39" in page


def test_a_retired_scenario_cannot_be_opened_or_started(client_for, employee):
    data = scenario_file()
    data["retired"] = True
    scenario = scenario_from_file(data)
    client = client_for(employee)
    assert client.get(reverse("quizzes:scenario-detail", args=[scenario.slug])).status_code == 404
    assert client.post(reverse("quizzes:attempt-start", args=[scenario.slug])).status_code == 404
    assert not Attempt.objects.exists()


def test_start_creates_an_attempt_at_the_first_step(client_for, employee, scenario):
    response = client_for(employee).post(reverse("quizzes:attempt-start", args=[scenario.slug]))
    attempt = Attempt.objects.get()
    assert response.status_code == 302 and response.url == _detail(attempt)
    assert attempt.user == employee and attempt.number == 1
    assert attempt.current_step == scenario.start_step


def test_a_double_click_on_start_resumes_the_open_attempt(client_for, employee, scenario):
    client = client_for(employee)
    url = reverse("quizzes:attempt-start", args=[scenario.slug])
    first, second = client.post(url), client.post(url)
    assert first.url == second.url
    assert Attempt.objects.count() == 1


def test_trying_again_numbers_the_next_attempt(client_for, employee, scenario):
    client = client_for(employee)
    attempt = services.attempt_start(scenario=scenario, acting_user=employee)
    _play(client, attempt, STRONGEST)
    client.post(reverse("quizzes:attempt-start", args=[scenario.slug]))
    assert list(Attempt.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_start_only_accepts_post(client_for, employee, scenario):
    url = reverse("quizzes:attempt-start", args=[scenario.slug])
    assert client_for(employee).get(url).status_code == 405


# The step page reveals nothing before a choice ------------------------------------------


def test_the_step_page_has_no_feedback_ratings_or_points_before_choosing(
    client_for, employee, attempt
):
    page = client_for(employee).get(_detail(attempt)).content.decode()
    for response in attempt.current_step.responses.all():
        assert response.text in page
        assert f'value="{response.pk}"' in page
        assert response.feedback not in page
    for leak in ("Feedback for", "Strong ally move", "Partial", "Harmful", "tag-done", "point"):
        assert leak not in page, leak
    assert "What happened" not in page


def test_feedback_appears_only_after_choosing(client_for, employee, attempt):
    client = client_for(employee)
    assert choose(client, attempt, "step-1", "strong").status_code == 302
    page = client.get(_detail(attempt)).content.decode()
    assert "What happened" in page
    assert "Feedback for the strong response at step-1." in page
    assert "Strong ally move" in page and "10 points" in page
    # The new step's own feedback is still hidden.
    assert "Feedback for the strong response at step-2." not in page
    assert "Approach A at step-2." in page


def _order(page: str) -> str:
    return "".join(sorted("ABC", key=lambda letter: page.index(f"Approach {letter} at step-1")))


def test_the_order_of_responses_is_shuffled_per_attempt_but_stable(client_for, employee, scenario):
    # Authors list the strongest response first: the page must not give that away.
    client = client_for(employee)
    orders = set()
    for _ in range(6):
        attempt = services.attempt_start(scenario=scenario, acting_user=employee)
        first = _order(client.get(_detail(attempt)).content.decode())
        assert _order(client.get(_detail(attempt)).content.decode()) == first
        orders.add(first)
        Attempt.objects.filter(pk=attempt.pk).delete()
    assert len(orders) > 1


# Choosing: server-side scoring and branching --------------------------------------------


def test_a_choice_is_scored_on_the_server_and_recorded_with_its_time(client_for, employee, attempt):
    response = choose(client_for(employee), attempt, "step-1", "partial")
    assert response.status_code == 302 and response.url == _detail(attempt)
    attempt.refresh_from_db()
    choice = Choice.objects.get()
    assert (choice.position, choice.points, choice.step.slug) == (1, 5, "step-1")
    assert choice.made_at is not None
    assert attempt.score == 5 and attempt.choices_made == 1
    assert attempt.current_step.slug == "step-2"


def test_a_harmful_choice_leads_to_its_consequence(client_for, employee, attempt):
    client = client_for(employee)
    choose(client, attempt, "step-1", "harmful")
    attempt.refresh_from_db()
    assert attempt.current_step.slug == "consequence"
    assert "You are at the consequence." in client.get(_detail(attempt)).content.decode()


def test_reaching_an_ending_finishes_the_attempt_and_records_the_best(
    client_for, employee, attempt
):
    _play(client_for(employee), attempt, HARMFUL_START)
    attempt.refresh_from_db()
    assert attempt.finished_at is not None
    assert attempt.ending.slug == "ending-poor"
    assert attempt.score == 1 + 4 + 5 + 0
    result = ScenarioResult.objects.get()
    assert (result.best_score, result.attempts_finished, result.best_attempt) == (10, 1, attempt)
    assert XpEvent.objects.filter(user=employee, source=f"scenario:{attempt.scenario_id}").exists()


def test_the_best_score_counts_across_retries(client_for, employee, scenario):
    client = client_for(employee)
    first = services.attempt_start(scenario=scenario, acting_user=employee)
    _play(client, first, HARMFUL_START)
    second = services.attempt_start(scenario=scenario, acting_user=employee)
    _play(client, second, STRONGEST)
    third = services.attempt_start(scenario=scenario, acting_user=employee)
    _play(client, third, HARMFUL_START)
    result = ScenarioResult.objects.get()
    assert (result.best_score, result.attempts_finished) == (39, 3)
    assert result.best_attempt_id == second.pk
    # Finishing paid once, and the better path paid only the difference.
    paid = XpEvent.objects.filter(source__startswith="scenario:")
    assert sorted(paid.values_list("source", "amount")) == sorted(
        [(f"scenario:{scenario.pk}", 20 + 2 * 10), (f"scenario:{scenario.pk}:best:39", 2 * 29)]
    )


def test_the_debrief_retells_the_path_the_score_and_the_strongest_path(
    client_for, employee, attempt
):
    client = client_for(employee)
    _play(client, attempt, [("step-1", "strong"), ("step-2", "partial"), *STRONGEST[2:]])
    page = client.get(_detail(attempt)).content.decode()
    assert "Debrief: Things change" in page
    assert "Your score: 34 out of 39." in page
    for step, rating in [("step-1", "strong"), ("step-2", "partial")]:
        assert f"Feedback for the {rating} response at {step}." in page
    assert page.count("Principle: Interrupting bias") == 4 + 4
    strongest = page.split("<h3>The strongest path</h3>")[1]
    assert "Approach A at step-2." in strongest
    assert "Approach B at step-2." not in strongest
    assert strongest.count("You chose this too.") == 3
    assert "Try again" in page


# Tampering -------------------------------------------------------------------------------


def test_a_response_from_another_step_is_refused_and_nothing_is_saved(
    client_for, employee, attempt
):
    foreign = response_at(attempt.scenario, "step-2", "strong")
    response = client_for(employee).post(
        reverse("quizzes:attempt-choose", args=[attempt.pk]),
        {"step": attempt.current_step_id, "response": foreign.pk},
    )
    assert response.status_code == 400
    assert "not one of the choices for this step" in response.content.decode()
    assert 'aria-describedby="choice-error"' in response.content.decode()
    assert not Choice.objects.exists()
    attempt.refresh_from_db()
    assert attempt.score == 0 and attempt.current_step.slug == "step-1"


def test_a_response_from_another_scenario_is_refused(client_for, employee, attempt):
    other = scenario_from_file(scenario_file(slug="other-scenario"))
    foreign = response_at(other, "step-1", "strong")
    response = client_for(employee).post(
        reverse("quizzes:attempt-choose", args=[attempt.pk]),
        {"step": attempt.current_step_id, "response": foreign.pk},
    )
    assert response.status_code == 400
    assert not Choice.objects.exists()


def test_a_refused_response_over_htmx_comes_back_as_the_panel_with_status_200(
    client_for, employee, attempt
):
    foreign = response_at(attempt.scenario, "step-4", "strong")
    response = client_for(employee).post(
        reverse("quizzes:attempt-choose", args=[attempt.pk]),
        {"step": attempt.current_step_id, "response": foreign.pk},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="attempt-panel"')
    assert 'id="choice-error" tabindex="-1" data-focus-on-swap' in page
    assert not Choice.objects.exists()


def test_skipping_ahead_to_a_later_step_is_refused(client_for, employee, attempt):
    later = response_at(attempt.scenario, "step-3", "strong")
    response = client_for(employee).post(
        reverse("quizzes:attempt-choose", args=[attempt.pk]),
        {"step": later.step_id, "response": later.pk},
    )
    assert response.status_code == 400
    assert "a step you have not reached" in response.content.decode()
    assert not Choice.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"step": "1"}, {"step": "x", "response": "1"}, {"step": "1", "response": "-3"}],
    ids=["nothing", "no-response", "not-a-number", "negative"],
)
def test_a_malformed_post_is_refused(client_for, employee, attempt, data):
    response = client_for(employee).post(reverse("quizzes:attempt-choose", args=[attempt.pk]), data)
    assert response.status_code == 400
    assert not Choice.objects.exists()


def test_the_same_step_posted_twice_records_one_choice(client_for, employee, attempt):
    client = client_for(employee)
    choose(client, attempt, "step-1", "strong")
    replay = choose(client, attempt, "step-1", "strong")
    assert replay.status_code == 302
    assert Choice.objects.count() == 1
    attempt.refresh_from_db()
    assert attempt.score == 10 and attempt.current_step.slug == "step-2"
    page = client.get(_detail(attempt)).content.decode()
    assert "You had already answered that step" in page


def test_a_different_answer_to_an_answered_step_changes_nothing(client_for, employee, attempt):
    client = client_for(employee)
    choose(client, attempt, "step-1", "harmful")
    # The back button: the learner tries the strong response on the step they left.
    choose(client, attempt, "step-1", "strong")
    attempt.refresh_from_db()
    assert Choice.objects.get().response.rating == "harmful"
    assert attempt.score == 1 and attempt.current_step.slug == "consequence"


def test_a_replayed_step_over_htmx_shows_the_current_state_with_a_note(
    client_for, employee, attempt
):
    client = client_for(employee)
    choose(client, attempt, "step-1", "strong", htmx=True)
    response = choose(client, attempt, "step-1", "strong", htmx=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "You had already answered that step" in page
    assert "Decision 2: After the meeting" in page
    assert Choice.objects.count() == 1


def test_a_replayed_final_step_neither_records_nor_pays_again(client_for, employee, attempt):
    client = client_for(employee)
    _play(client, attempt, STRONGEST)
    replay = choose(client, attempt, "step-4", "strong")
    assert replay.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == 39 and Choice.objects.count() == 4
    assert ScenarioResult.objects.get().attempts_finished == 1
    assert XpEvent.objects.filter(user=employee, source__startswith="scenario:").count() == 1
    assert "This attempt is finished" in client.get(_detail(attempt)).content.decode()


def test_posting_to_a_finished_attempt_records_nothing(client_for, employee, attempt):
    client = client_for(employee)
    _play(client, attempt, STRONGEST)
    # Even a response from a step this attempt never visited.
    response = choose(client, attempt, "consequence", "strong", htmx=True)
    assert response.status_code == 200
    assert "Debrief: Things change" in response.content.decode()
    assert Choice.objects.count() == 4


def test_another_learners_attempt_is_a_404_to_read_and_to_post(
    client_for, employee, outsider, manager, attempt
):
    for person in (outsider, manager):
        client = client_for(person)
        assert client.get(_detail(attempt)).status_code == 404
        assert choose(client, attempt, "step-1", "strong").status_code == 404
    assert not Choice.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, attempt):
    response = client.get(_detail(attempt))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    response = choose(client, attempt, "step-1", "strong")
    assert response.status_code == 302 and not Choice.objects.exists()


# htmx -------------------------------------------------------------------------------------


def test_htmx_gets_the_panel_partial_announced_with_focus_on_its_heading(
    client_for, employee, attempt
):
    response = choose(client_for(employee), attempt, "step-1", "strong", htmx=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert "<html" not in page and "<h1" not in page
    assert 'aria-live="polite"' in page
    assert '<h2 id="attempt-panel-heading" tabindex="-1" data-focus-on-swap>What happened' in page
    assert 'hx-post="' in page and 'action="' in page and 'hx-swap="outerHTML"' in page


def test_without_htmx_the_choice_redirects_to_the_attempt_page(client_for, employee, attempt):
    response = choose(client_for(employee), attempt, "step-1", "strong")
    assert response.status_code == 302
    assert "HX-Request" in response["Vary"]


def test_a_retired_step_still_leads_an_open_attempt_to_its_end(client_for, employee, attempt):
    data = scenario_file()
    client = client_for(employee)
    choose(client, attempt, "step-1", "harmful")
    # The consequence step leaves the file while the learner stands on it.
    step = next(s for s in data["steps"] if s["slug"] == "step-1")
    next(r for r in step["responses"] if r["rating"] == "harmful")["next"] = "step-2"
    data["steps"] = [s for s in data["steps"] if s["slug"] != "consequence"]
    scenario_from_file(data)
    assert step_of(attempt.scenario, "consequence").retired
    assert "Approach A at consequence." in client.get(_detail(attempt)).content.decode()
    assert choose(client, attempt, "consequence", "strong").status_code == 302
    attempt.refresh_from_db()
    assert attempt.current_step.slug == "step-3"


# Path-aware endings and turning points --------------------------------------------------


@pytest.fixture
def path_aware_attempt(employee):
    from tests.quizzes.test_path_endings import path_aware_file

    scenario = scenario_from_file(path_aware_file())
    return services.attempt_start(scenario=scenario, acting_user=employee)


def test_the_ending_follows_the_whole_path_not_the_last_choice(
    client_for, employee, path_aware_attempt
):
    client = client_for(employee)
    for step in ("step-1", "step-2", "step-3"):
        choose(client, path_aware_attempt, step, "strong")
    choose(client, path_aware_attempt, "step-4", "strong")
    path_aware_attempt.refresh_from_db()
    assert path_aware_attempt.ending.slug == "ending-good"
    assert path_aware_attempt.finished_at is not None


def test_a_harmful_choice_early_on_keeps_the_best_ending_out_of_reach(
    client_for, employee, path_aware_attempt
):
    client = client_for(employee)
    choose(client, path_aware_attempt, "step-1", "strong")
    choose(client, path_aware_attempt, "step-2", "harmful")
    choose(client, path_aware_attempt, "step-3", "strong")
    choose(client, path_aware_attempt, "step-4", "strong")  # the same last choice as above
    path_aware_attempt.refresh_from_db()
    assert path_aware_attempt.ending.slug == "ending-poor"
    page = client.get(_detail(path_aware_attempt)).content.decode()
    assert "Your turning points" in page
    turning = page.split("Your turning points")[1].split("The path you took")[0]
    assert "It was a harmful move" in turning
    assert response_at(path_aware_attempt.scenario, "step-2", "harmful").text in turning


def test_the_debrief_names_the_choice_that_decided_the_ending(
    client_for, employee, path_aware_attempt
):
    client = client_for(employee)
    for step in ("step-1", "step-2", "step-3", "step-4"):
        choose(client, path_aware_attempt, step, "strong")
    page = client.get(_detail(path_aware_attempt)).content.decode()
    turning = page.split("Your turning points")[1].split("The path you took")[0]
    assert "It decided the ending you reached" in turning
    assert response_at(path_aware_attempt.scenario, "step-4", "strong").text in turning
    assert response_at(path_aware_attempt.scenario, "step-1", "strong").text not in turning
