"""Every constraint of learning's models, tested at the database: a direct second insert (or
a value out of range) raises IntegrityError naming that constraint, on SQLite and PostgreSQL."""

import datetime

import pytest
from django.utils import timezone

from learning.models import (
    Assignment,
    AssignmentRule,
    BadgeAward,
    Certificate,
    Commitment,
    CommitmentSuggestion,
    CourseProgress,
    DigestSent,
    FollowThroughReward,
    LearningSummary,
    LessonCompletion,
    ModuleProgress,
    Nudge,
    Reflection,
    ReflectionPrompt,
    ReminderSent,
    SummaryWord,
    XpEvent,
)
from learning.refreshers.models import RefresherCard, RefresherReminder, RefresherReview
from tests.constraints import Case, assert_refused_by, copy_of, declared_constraints, insert
from tests.factories import UserFactory
from tests.hr.factories import build_scenario
from tests.learning.builders import build_course, build_module
from tests.learning.refresher_builders import refresher_due

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)


def _module():
    return build_module(lessons=1)


def _again(row, **changes):
    return type(row), insert(type(row), copy_of(row, **changes))


def lesson_twice():
    return _again(_module().lessons.get(), title="Same slug, other title", order=5)


def prompt_twice():
    return _again(ReflectionPrompt.objects.get(module=_module()), prompt="Another prompt")


def suggestion_twice():
    return _again(CommitmentSuggestion.objects.filter(module=_module()).first(), text="Other")


def course_module_twice():
    module = _module()
    return _again(build_course([module]).course_modules.get(), order=7)


def _assignment():
    return Assignment.objects.create(
        user=UserFactory(), course=build_course([_module()]), due_on=MONDAY
    )


def assignment_twice():
    return _again(_assignment(), due_on=MONDAY + datetime.timedelta(days=30))


def lesson_completed_twice():
    row = LessonCompletion.objects.create(user=UserFactory(), lesson=_module().lessons.get())
    return _again(row)


def _module_progress():
    return ModuleProgress.objects.create(user=UserFactory(), module=_module(), percent=40)


def module_progress_twice():
    return _again(_module_progress(), percent=60)


def module_percent_over_100():
    row = _module_progress()
    return ModuleProgress, lambda: ModuleProgress.objects.filter(pk=row.pk).update(percent=101)


def _course_progress():
    return CourseProgress.objects.create(
        user=UserFactory(), course=build_course([_module()]), percent=50
    )


def course_progress_twice():
    return _again(_course_progress(), percent=0)


def course_percent_over_100():
    row = _course_progress()
    return CourseProgress, lambda: CourseProgress.objects.filter(pk=row.pk).update(percent=101)


def reflection_twice():
    prompt = ReflectionPrompt.objects.get(module=_module())
    return _again(Reflection.objects.create(user=UserFactory(), prompt=prompt, text="First"))


def commitment_twice():
    row = Commitment.objects.create(
        user=UserFactory(),
        module=_module(),
        action="Ask a quiet colleague first",
        check_in_on=MONDAY,
    )
    return _again(row, action="A second action for the same module")


def xp_twice():
    row = XpEvent.objects.create(user=UserFactory(), source="lesson:1", amount=10, reason="Read")
    return _again(row, amount=20, reason="Read again")


def badge_twice():
    row = BadgeAward.objects.create(user=UserFactory(), badge="first-steps")
    return _again(row, awarded_at=timezone.now() + datetime.timedelta(days=1))


def certificate_twice():
    row = Certificate.objects.create(
        user=UserFactory(), course=build_course([_module()]), code="ABCD2345EFGH"
    )
    return _again(row, code="ZZZZ2345ZZZZ")


def reminder_twice():
    row = ReminderSent.objects.create(assignment=_assignment(), kind="due_soon", sent_on=MONDAY)
    return _again(row)


def digest_twice():
    return _again(DigestSent.objects.create(manager=UserFactory(), week=MONDAY))


def nudge_twice():
    row = Nudge.objects.create(
        manager=UserFactory(),
        learner=UserFactory(),
        course=build_course([_module()]),
        week=MONDAY,
    )
    return _again(row, manager=UserFactory())


def rule_twice():
    row = AssignmentRule.objects.create(
        course=build_course([_module()]),
        scope="everyone",
        group_key="everyone",
        due_on=MONDAY,
        created_by=UserFactory(),
    )
    return _again(row, due_on=MONDAY + datetime.timedelta(days=7))


def commitment_closed_without_report():
    row = Commitment.objects.create(
        user=UserFactory(), module=_module(), action="Ask first", check_in_on=MONDAY
    )
    return Commitment, lambda: Commitment.objects.filter(pk=row.pk).update(status="done")


def _reward(slot=1, **extra):
    user = extra.pop("user", None) or UserFactory()
    module = extra.pop("module", None) or _module()
    plan = Commitment.objects.create(user=user, module=module, action="Act", check_in_on=MONDAY)
    return FollowThroughReward.objects.create(
        user=user, module=module, commitment=plan, week=MONDAY, slot=slot, **extra
    )


def reward_twice_for_a_module():
    row = _reward()
    plan = Commitment.objects.create(
        user=UserFactory(), module=_module(), action="Other", check_in_on=MONDAY
    )
    return _again(row, commitment=plan, slot=2)


def reward_same_weekly_slot():
    row = _reward()
    plan = Commitment.objects.create(
        user=row.user, module=_module(), action="B", check_in_on=MONDAY
    )
    return _again(row, module=plan.module, commitment=plan)


def reward_third_slot():
    row = _reward()
    return FollowThroughReward, lambda: FollowThroughReward.objects.filter(pk=row.pk).update(slot=3)


def _summary():
    user = UserFactory()
    return LearningSummary.objects.update_or_create(
        user=user, defaults={"full_name": user.full_name, "assigned": 1, "completed": 0}
    )[0]


def summary_completed_over_assigned():
    row = _summary()
    return LearningSummary, lambda: LearningSummary.objects.filter(pk=row.pk).update(completed=2)


def summary_word_twice():
    row = SummaryWord.objects.filter(summary__user=UserFactory(full_name="Ada Byron")).first()
    return _again(row)


def summary_completion_over_100():
    row = _summary()
    return LearningSummary, lambda: LearningSummary.objects.filter(pk=row.pk).update(completion=101)


def _card(user=None):
    return refresher_due(user or UserFactory())


def card_twice_for_a_question():
    card, _ = _card()
    return _again(card)


def card_twice_for_a_step():
    card, _ = _card()
    step = build_scenario().start_step
    RefresherCard.objects.filter(pk=card.pk).update(question=None, scenario_step=step)
    card.refresh_from_db()
    return _again(card)


def card_for_two_items():
    card, _ = _card()
    step = build_scenario().start_step
    return RefresherCard, lambda: RefresherCard.objects.filter(pk=card.pk).update(
        scenario_step=step
    )


def card_in_an_unknown_state():
    card, _ = _card()
    return RefresherCard, lambda: RefresherCard.objects.filter(pk=card.pk).update(state=9)


def review_twice():
    _, first = _card()
    return _again(first)


def review_rating_out_of_range():
    _, first = _card()
    return RefresherReview, lambda: RefresherReview.objects.filter(pk=first.pk).update(rating=5)


def review_number_zero():
    _, first = _card()
    return RefresherReview, lambda: RefresherReview.objects.filter(pk=first.pk).update(number=0)


def refresher_email_twice():
    return _again(RefresherReminder.objects.create(user=UserFactory(), week=MONDAY))


CASES: dict[str, Case] = {
    "assignment_rule_once_per_live_group": rule_twice,
    "commitment_reported_when_closed": commitment_closed_without_report,
    "follow_through_once": reward_twice_for_a_module,
    "follow_through_weekly_slot": reward_same_weekly_slot,
    "follow_through_weekly_cap": reward_third_slot,
    "summary_counts_within_assigned": summary_completed_over_assigned,
    "summary_completion_range": summary_completion_over_100,
    "summary_word_once": summary_word_twice,
    "refresher_once_per_question": card_twice_for_a_question,
    "refresher_once_per_step": card_twice_for_a_step,
    "refresher_one_item": card_for_two_items,
    "refresher_state": card_in_an_unknown_state,
    "refresher_review_once": review_twice,
    "refresher_rating": review_rating_out_of_range,
    "refresher_review_number": review_number_zero,
    "refresher_reminder_weekly": refresher_email_twice,
    "lesson_unique_slug_in_module": lesson_twice,
    "prompt_unique_slug_in_module": prompt_twice,
    "suggestion_unique_slug_in_module": suggestion_twice,
    "course_module_once": course_module_twice,
    "assignment_once_per_course": assignment_twice,
    "lesson_completed_once": lesson_completed_twice,
    "module_progress_once": module_progress_twice,
    "module_percent_range": module_percent_over_100,
    "course_progress_once": course_progress_twice,
    "course_percent_range": course_percent_over_100,
    "reflection_once_per_prompt": reflection_twice,
    "commitment_once_per_module": commitment_twice,
    "xp_once_per_source": xp_twice,
    "badge_once_per_person": badge_twice,
    "certificate_once_per_course": certificate_twice,
    "reminder_once_per_day": reminder_twice,
    "digest_once_per_week": digest_twice,
    "nudge_once_per_week": nudge_twice,
}


def test_every_learning_constraint_has_a_database_test():
    assert declared_constraints("learning") == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_database_refuses_what_the_constraint_forbids(name):
    model, write = CASES[name]()
    before = model.objects.count()
    assert_refused_by(name, model, write)
    assert model.objects.count() == before


def test_the_percent_range_allows_0_and_100():
    row = ModuleProgress.objects.create(user=UserFactory(), module=_module(), percent=0)
    ModuleProgress.objects.filter(pk=row.pk).update(percent=100)
    assert ModuleProgress.objects.get(pk=row.pk).percent == 100
