import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from allyship.models import User
from allyship.reporting import insights, reports
from allyship.reporting.figures import report_figures_refresh
from allyship.reporting.organisation import scope_key
from learning.models import Assignment, CourseProgress
from learning.selectors import assignments_for
from quizzes.models import Answer, Attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_curriculum", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_learner_has_one_course_due_soon_and_one_overdue(demo):
    learner = User.objects.get(email="employee@example.com")
    today = timezone.localdate()
    rows = {a.course.slug: a for a in assignments_for(learner)}
    foundations = rows["allyship-foundations"]
    meetings = rows["allyship-in-meetings"]
    assert (
        today + datetime.timedelta(days=14)
        <= foundations.due_on
        <= today + datetime.timedelta(days=28)
    )
    assert meetings.is_overdue and meetings.percent < 20
    assert 0 < foundations.percent < 25


def test_the_demo_managers_team_has_varied_progress(demo):
    manager = User.objects.get(email="manager@example.com")
    team = reports.people(reports.Filters(team_of=manager.pk))
    assert team.count() >= 5
    percents = set(
        CourseProgress.objects.filter(
            user__in=team, course__slug="allyship-foundations"
        ).values_list("percent", flat=True)
    )
    assert len(percents) >= 4 and 100 in percents
    assert reports.totals(reports.Filters(team_of=manager.pk))["overdue"] > 0


def test_the_demo_has_enough_answers_for_insights(demo):
    manager = User.objects.get(email="manager@example.com")
    team = reports.Filters(team_of=manager.pk)
    report_figures_refresh(scopes=[scope_key(team_of=manager.pk), "org"])
    found = insights.insights_report(team, scenario=insights.live_scenarios().first()).value
    assert found.enough
    whole = insights.insights_report(reports.Filters()).value
    # A figure counts only teams (department and manager) with five contributors; the
    # 50-person demo's teams are small, so only some figures show, across the organisation.
    shown = [row for row in whole.hardest if row["check"] is not None or row["scenario"]]
    assert shown or whole.commitments["overall"]["made"]
    assert whole.commitments["overall"]["followed"] > 0


def test_seeding_again_creates_nothing(demo):
    counts = (Assignment.objects.count(), Attempt.objects.count(), Answer.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Assignment.objects.count(), Attempt.objects.count(), Answer.objects.count()) == counts


def test_named_demo_people_hold_the_badges_their_history_earned(settings):
    from learning.loader import load_curriculum
    from learning.models import BadgeAward, LessonCompletion
    from learning.recognition.badges import REGISTRY

    settings.DEBUG = True
    load_curriculum()
    call_command("seed_demo", stdout=StringIO())
    learner = User.objects.get(email="employee@example.com")
    assert LessonCompletion.objects.filter(user=learner).exists()
    earned = set(BadgeAward.objects.filter(user=learner).values_list("badge", flat=True))
    assert "first-lesson" in earned and earned <= set(REGISTRY)
    call_command("seed_demo", stdout=StringIO())
    assert set(BadgeAward.objects.filter(user=learner).values_list("badge", flat=True)) == earned


def test_named_demo_people_have_streaks_that_match_their_history(demo):
    from learning.models import LearnerStats, LessonCompletion, ModuleProgress
    from learning.services import week_start

    this_week = week_start(timezone.localdate())
    for email in ("employee@example.com", "manager@example.com", "hr@example.com"):
        person = User.objects.get(email=email)
        stats = LearnerStats.objects.get(user=person)
        moments = list(
            ModuleProgress.objects.filter(user=person).values_list("updated_at", flat=True)
        )
        moments += LessonCompletion.objects.filter(user=person).values_list(
            "completed_at", flat=True
        )
        latest = week_start(timezone.localdate(max(moments)))
        assert stats.last_active_week == latest
        assert stats.longest_streak >= 1 and stats.current_streak <= stats.longest_streak
        assert (stats.current_streak > 0) == (latest >= this_week - datetime.timedelta(weeks=1))
    learner = LearnerStats.objects.get(user__email="employee@example.com")
    assert learner.current_streak >= 1  # the demo learner read lessons this week


def test_the_demo_assigns_the_leader_course_to_every_people_leader(demo):
    from learning.models import Assignment, AssignmentRule, AssignmentScope

    rule = AssignmentRule.objects.get(course__slug="allyship-for-people-leaders")
    assert rule.scope == AssignmentScope.PEOPLE_LEADERS
    leaders = set(
        User.objects.filter(is_active=True, reports__is_active=True)
        .distinct()
        .values_list("id", flat=True)
    )
    assert leaders
    assigned = set(Assignment.objects.filter(rule=rule).values_list("user_id", flat=True))
    assert assigned == leaders


def test_the_demo_learner_has_refreshers_due_and_a_plan_at_each_stage(demo):
    from learning.models import Commitment
    from learning.refreshers.selectors import summary_of

    learner = User.objects.get(email="employee@example.com")
    assert summary_of(learner).due == 3
    plans = Commitment.objects.filter(user=learner)
    today = timezone.localdate()
    stages = {
        ("open", False, True): "due",
        ("open", True, False): "second window",
        ("open", False, False): "planned",
    }
    seen = {stages.get((p.status, p.rescheduled, p.check_in_on <= today), p.status) for p in plans}
    assert {"due", "second window", "planned", "done"} <= seen
    assert all(p.situation for p in plans)


def test_the_demo_has_retention_and_plan_outcomes_for_insights(demo):
    report_figures_refresh(scopes=[scope_key()])
    whole = insights.insights_report(reports.Filters()).value
    assert any(row["first"] is not None for row in whole.retention)
    assert all(0 <= (row["acted_rate"] or 0) <= 100 for row in whole.plans)
