"""Writes for learning: progress, commitments, reflections, assignments.

Each function validates first, then saves inside one transaction, and records
the XP, streak and badges the event earns in that same transaction.
"""

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.tasks import task
from django.utils import timezone

from allyship.models import User
from learning.models import (
    COMMITMENT_MAX,
    FOLLOW_THROUGH_XP_PER_WEEK,
    NOTE_MAX,
    REFLECTION_MAX,
    SITUATION_MAX,
    CheckInOutcome,
    Commitment,
    CommitmentStatus,
    CommitmentSuggestion,
    Course,
    CourseModule,
    CourseProgress,
    FollowThroughReward,
    LearnerStats,
    Lesson,
    LessonCompletion,
    Module,
    ModuleProgress,
    Reflection,
    ReflectionPrompt,
)
from learning.recognition import rewards
from learning.recognition.badges import Trigger, evaluate
from learning.recognition.certificates import certificate_issue
from learning.refreshers.services import refreshers_schedule
from learning.summaries import learning_summaries_refresh

CHECK_IN_MAX_DAYS = 30
DAY = datetime.timedelta(days=1)


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def activity_record(*, user, when: datetime.datetime | None = None) -> None:
    """Count this week toward the learner's streak: weeks with learning, never days."""
    this_week = week_start(timezone.localdate(when))
    stats, _ = LearnerStats.objects.select_for_update().get_or_create(user=user)
    if stats.last_active_week == this_week:
        return
    if stats.last_active_week == this_week - datetime.timedelta(weeks=1):
        stats.current_streak += 1
    else:
        stats.current_streak = 1
    stats.longest_streak = max(stats.longest_streak, stats.current_streak)
    stats.last_active_week = this_week
    stats.save(update_fields=["current_streak", "longest_streak", "last_active_week"])
    evaluate(user, Trigger.STREAK)


def _locked_module_progress(user, module: Module) -> ModuleProgress:
    progress, _ = ModuleProgress.objects.get_or_create(user=user, module=module)
    return ModuleProgress.objects.select_for_update().get(pk=progress.pk)


def module_progress_refresh(*, user, module: Module) -> ModuleProgress:
    """Recompute a module's stored progress from its facts; completes it when all steps are done."""
    progress = _locked_module_progress(user, module)
    progress.lessons_completed = LessonCompletion.objects.filter(
        user=user, lesson__module=module, lesson__retired=False
    ).count()
    done = (
        min(progress.lessons_completed, module.lesson_count)
        + int(progress.check_completed)
        + int(progress.commitment_made)
    )
    progress.percent = min(100, done * 100 // module.step_count)
    progress.updated_at = timezone.now()
    newly_completed = progress.percent == 100 and progress.completed_at is None
    if newly_completed:
        progress.completed_at = progress.updated_at
    progress.save()
    if newly_completed:
        rewards.xp_award(
            user=user,
            source=f"module:{module.pk}",
            amount=rewards.XP_MODULE,
            reason=f"Completed the module “{module.title}”",
        )
        evaluate(user, Trigger.MODULE)
        refreshers_schedule(module=module, acting_user=user)
    for course_id in CourseProgress.objects.filter(
        user=user, course__course_modules__module=module
    ).values_list("course_id", flat=True):
        course_progress_refresh(user=user, course=Course.objects.get(pk=course_id))
    return progress


def course_progress_refresh(*, user, course: Course) -> CourseProgress:
    """Recompute a course's stored progress from its modules' progress (one aggregate query)."""
    progress, _ = CourseProgress.objects.get_or_create(user=user, course=course)
    progress = CourseProgress.objects.select_for_update().get(pk=progress.pk)
    module_ids = CourseModule.objects.filter(course=course, module__retired=False).values(
        "module_id"
    )
    totals = ModuleProgress.objects.filter(user=user, module_id__in=module_ids).aggregate(
        percent=Sum("percent"), completed=Count("id", filter=Q(completed_at__isnull=False))
    )
    count = max(course.module_count, 1)
    progress.percent = min(100, (totals["percent"] or 0) // count)
    progress.modules_completed = totals["completed"] or 0
    progress.updated_at = timezone.now()
    newly_completed = (
        progress.modules_completed >= course.module_count and not progress.completed_at
    )
    if newly_completed:
        progress.completed_at = progress.updated_at
        progress.percent = 100
    progress.save()
    learning_summaries_refresh(user_ids=[user.pk])
    if newly_completed:
        rewards.xp_award(
            user=user,
            source=f"course:{course.pk}",
            amount=rewards.XP_COURSE,
            reason=f"Completed the course “{course.title}”",
        )

        certificate_issue(user=user, course=course)
        evaluate(user, Trigger.COURSE)
    return progress


# Curriculum counts: a module's live lessons and a course's live modules are the denominators
# of every learner's stored progress. Every writer of lessons, modules and course lists (the
# loader, the admin) calls these, then the learners' stored progress is recounted by a task.


def module_lesson_count_refresh(*, module: Module) -> Module:
    """Store the module's number of live lessons; queue a recount of its learners' progress
    once committed (the module_progress_recount task)."""
    count = Lesson.objects.filter(module=module, retired=False).count()
    if count != module.lesson_count:
        module.lesson_count = count
        module.save(update_fields=["lesson_count"])
        if ModuleProgress.objects.filter(module=module).exists():
            transaction.on_commit(partial(module_progress_recount.enqueue, module.pk))
    return module


def course_module_count_refresh(*, course: Course) -> Course:
    """Store the course's number of live modules; queue a recount of its learners' progress
    once committed (the course_progress_recount task)."""
    count = CourseModule.objects.filter(course=course, module__retired=False).count()
    if count != course.module_count:
        course.module_count = count
        course.save(update_fields=["module_count"])
        if CourseProgress.objects.filter(course=course).exists():
            transaction.on_commit(partial(course_progress_recount.enqueue, course.pk))
    return course


@task()
def module_progress_recount(module_id: int) -> int:
    """Background task: recompute every unfinished learner's stored progress in the module
    (after its lessons changed); returns how many. Each learner in their own transaction."""
    module = Module.objects.get(pk=module_id)
    learners = ModuleProgress.objects.filter(module=module, completed_at__isnull=True).values_list(
        "user_id", flat=True
    )
    count = 0
    for user in User.objects.filter(pk__in=list(learners)).iterator(chunk_size=500):
        with transaction.atomic():
            module_progress_refresh(user=user, module=module)
        count += 1
    return count


@task()
def course_progress_recount(course_id: int) -> int:
    """Background task: recompute every unfinished learner's stored progress in the course
    (after its modules changed); returns how many."""
    course = Course.objects.get(pk=course_id)
    learners = CourseProgress.objects.filter(course=course, completed_at__isnull=True).values_list(
        "user_id", flat=True
    )
    count = 0
    for user in User.objects.filter(pk__in=list(learners)).iterator(chunk_size=500):
        with transaction.atomic():
            course_progress_refresh(user=user, course=course)
        count += 1
    return count


def course_start(*, user, course: Course) -> CourseProgress:
    """Start (or resume) a course: its progress row, computed from any modules already done."""
    if course.retired:
        raise ValidationError("This course has been retired.")
    with transaction.atomic():
        return course_progress_refresh(user=user, course=course)


def lesson_complete(*, user, lesson: Lesson) -> ModuleProgress:
    """Mark a lesson read (once), update module and course progress, pay XP once."""
    if lesson.retired or lesson.module.retired:
        raise ValidationError("This lesson is no longer part of the curriculum.")
    with transaction.atomic():
        # A concurrent request that read it first makes this one a repeat (get_or_create
        # falls back to reading the row the unique constraint kept).
        _, first_time = LessonCompletion.objects.get_or_create(user=user, lesson=lesson)
        progress = _locked_module_progress(user, lesson.module)
        progress.last_lesson = lesson
        progress.save(update_fields=["last_lesson"])
        if first_time:
            rewards.xp_award(
                user=user,
                source=f"lesson:{lesson.pk}",
                amount=rewards.XP_LESSON,
                reason=f"Read “{lesson.title}”",
            )
            activity_record(user=user)
            evaluate(user, Trigger.LESSON)
        return module_progress_refresh(user=user, module=lesson.module)


def lesson_visit(*, user, lesson: Lesson) -> None:
    """Remember where the learner is, so they can resume on any device. Opening the lesson
    they were already on writes nothing (one read, no transaction, no lock)."""
    if ModuleProgress.objects.filter(user=user, last_lesson_id=lesson.pk).exists():
        return
    with transaction.atomic():
        progress = _locked_module_progress(user, lesson.module)
        if progress.last_lesson_id != lesson.pk:
            progress.last_lesson = lesson
            progress.save(update_fields=["last_lesson"])


def module_check_complete(*, user, module: Module) -> ModuleProgress:
    """The module's knowledge check is answered: count it as one step of the module."""
    with transaction.atomic():
        progress = _locked_module_progress(user, module)
        if not progress.check_completed:
            progress.check_completed = True
            progress.save(update_fields=["check_completed"])
            activity_record(user=user)
        return module_progress_refresh(user=user, module=module)


def validate_check_in_date(check_in_on: datetime.date | None) -> datetime.date:
    today = timezone.localdate()
    if check_in_on is None:
        raise ValidationError({"check_in_on": "Choose a check-in date."})
    if check_in_on <= today:
        raise ValidationError({"check_in_on": "Choose a date after today."})
    if check_in_on > today + datetime.timedelta(days=CHECK_IN_MAX_DAYS):
        raise ValidationError(
            {"check_in_on": f"Choose a date at most {CHECK_IN_MAX_DAYS} days from today."}
        )
    return check_in_on


# A learner holds at most this many plans open at once: plans are for acting on, not for
# collecting (and an open plan is what a follow-through pays for).
OPEN_COMMITMENTS_MAX = 5
TOO_MANY_OPEN = (
    f"You already have {OPEN_COMMITMENTS_MAX} plans open. Check in on one of them "
    "(or let its date come) before making another."
)
NOT_STARTED = "Start the module (read at least one lesson) before making a plan for it."


def _situation_clean(situation: str) -> str:
    """The "When ..." part, without a leading "When" the learner may have typed."""
    situation = " ".join((situation or "").split())
    if situation[:5].lower() == "when ":
        situation = situation[5:]
    return situation.rstrip(",")


def _action_clean(action: str) -> str:
    action = " ".join((action or "").split())
    if action[:7].lower() == "i will ":
        action = action[7:]
    return action


def commitment_make(
    *,
    user,
    module: Module,
    suggestion: CommitmentSuggestion | None,
    text: str = "",
    check_in_on: datetime.date | None,
    situation: str = "",
    private_note: str = "",
) -> Commitment:
    """Make an if-then plan at the end of a module: "When <situation>, I will <text>".

    The action is a suggested one or the learner's own (`text`); the situation is the
    learner's, or the suggestion's when they leave it empty. Refused for a module the
    learner has not started and beyond OPEN_COMMITMENTS_MAX open plans. Side effects: the
    Commitment, the module's progress (its commitment step) and the streak.
    """
    action = _action_clean(text)
    situation = _situation_clean(situation)
    if suggestion is not None:
        if suggestion.module_id != module.pk or suggestion.retired:
            raise ValidationError({"suggestion": "That action is not one of this module's."})
        action = action or _action_clean(suggestion.text)
        situation = situation or _situation_clean(suggestion.situation)
    if not action:
        raise ValidationError({"text": "Pick a suggested action or write your own."})
    if len(action) > COMMITMENT_MAX:
        raise ValidationError({"text": f"Keep it to {COMMITMENT_MAX} characters."})
    if len(situation) > SITUATION_MAX:
        raise ValidationError({"situation": f"Keep it to {SITUATION_MAX} characters."})
    private_note = (private_note or "").strip()
    if len(private_note) > NOTE_MAX:
        raise ValidationError({"private_note": f"Keep the note to {NOTE_MAX:,} characters."})
    validate_check_in_date(check_in_on)
    with transaction.atomic():
        # One plan at a time per learner: the stats row lock serialises concurrent makes,
        # so the open-plan limit holds however many requests arrive together.
        LearnerStats.objects.get_or_create(user=user)
        LearnerStats.objects.select_for_update().get(user=user)
        started = ModuleProgress.objects.filter(
            user=user, module=module, lessons_completed__gt=0
        ).exists()
        if not started:
            raise ValidationError(NOT_STARTED)
        if (
            Commitment.objects.filter(user=user, status=CommitmentStatus.OPEN).count()
            >= OPEN_COMMITMENTS_MAX
        ):
            raise ValidationError(TOO_MANY_OPEN)
        try:
            with transaction.atomic():
                commitment = Commitment.objects.create(
                    user=user,
                    module=module,
                    suggestion=suggestion,
                    situation=situation,
                    action=action,
                    private_note=private_note,
                    check_in_on=check_in_on,
                )
        except IntegrityError as exc:
            raise ValidationError(
                "You have already made a plan for this module. "
                "You can see it on your commitments page."
            ) from exc
        progress = _locked_module_progress(user, module)
        progress.commitment_made = True
        progress.save(update_fields=["commitment_made"])
        activity_record(user=user)
        module_progress_refresh(user=user, module=module)
    return commitment


EARLY_CHECK_IN = "You can check in on this plan from {day:%A %-d %B}: give it a chance to happen."
CHECK_IN_STATUSES = {CommitmentStatus.DONE, CommitmentStatus.PARTLY, CommitmentStatus.NOT_YET}


def _follow_through_slot_take(*, user, commitment: Commitment, week: datetime.date) -> bool:
    """Take the first free weekly slot for the commitment's module; False if none is free
    or the module was rewarded before. The constraints decide, so a concurrent check-in
    that took a slot first moves this one to the next."""
    for slot in range(1, FOLLOW_THROUGH_XP_PER_WEEK + 1):
        try:
            with transaction.atomic():
                FollowThroughReward.objects.create(
                    user=user,
                    module_id=commitment.module_id,
                    commitment=commitment,
                    week=week,
                    slot=slot,
                )
        except IntegrityError:
            continue
        return True
    return False


def _follow_through_pay(*, user, commitment: Commitment, today: datetime.date) -> bool:
    """Pay follow-through XP once per module and for at most FOLLOW_THROUGH_XP_PER_WEEK
    modules a week (both held by FollowThroughReward's constraints); True if paid."""
    if not _follow_through_slot_take(user=user, commitment=commitment, week=week_start(today)):
        return False
    done = commitment.status == CommitmentStatus.DONE
    rewards.xp_award(
        user=user,
        source=f"follow-through:{commitment.module_id}",
        amount=rewards.XP_COMMITMENT_DONE if done else rewards.XP_COMMITMENT_PARTLY,
        reason="Followed through on your plan" if done else "Partly followed through on your plan",
    )
    return True


def commitment_check_in(
    *,
    user,
    commitment: Commitment,
    status: str = "",
    note: str = "",
    new_check_in_on: datetime.date | None = None,
    arose: bool | None = True,
    went: str = "",
) -> Commitment:
    """Report back on a plan, from its check-in date on: did the situation come up, what did
    the learner do (`status`) and how did it go.

    "It didn't come up" (arose=False) keeps the plan open for one more window (a new date,
    or as long as the first one); the second time it closes the plan. Following through
    pays the most XP, once per module and within a weekly cap. Returns the commitment;
    `commitment.xp_paid` says whether this check-in paid.
    """
    today = timezone.localdate()
    if arose is None:
        raise ValidationError({"arose": "Say whether the situation came up."})
    if arose and status not in CHECK_IN_STATUSES:
        raise ValidationError({"status": "Choose what you did."})
    if went and went not in CheckInOutcome.values:
        raise ValidationError({"went": "Choose how it went."})
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"Keep the note to {NOTE_MAX:,} characters."})
    with transaction.atomic():
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk, user=user)
        commitment.xp_paid = False
        if commitment.status != CommitmentStatus.OPEN:
            raise ValidationError("You have already reported on this plan.")
        if today < commitment.check_in_on:
            raise ValidationError(EARLY_CHECK_IN.format(day=commitment.check_in_on))
        if not ModuleProgress.objects.filter(
            user=user, module_id=commitment.module_id, lessons_completed__gt=0
        ).exists():
            raise ValidationError(NOT_STARTED)
        if not arose and not commitment.rescheduled:
            window = max(commitment.check_in_on - commitment.created_at.date(), DAY)
            commitment.check_in_on = (
                validate_check_in_date(new_check_in_on)
                if new_check_in_on is not None
                else min(today + window, today + datetime.timedelta(days=CHECK_IN_MAX_DAYS))
            )
            commitment.rescheduled = True
            commitment.arose = False
            if note:
                commitment.note = note
            commitment.save(update_fields=["check_in_on", "rescheduled", "arose", "note"])
            return commitment
        commitment.arose = arose
        commitment.status = status if arose else CommitmentStatus.NOT_ARISEN
        commitment.went = went if arose else ""
        commitment.note = note
        commitment.reported_at = timezone.now()
        commitment.save(update_fields=["arose", "status", "went", "note", "reported_at"])
        if commitment.followed_through:
            commitment.xp_paid = _follow_through_pay(user=user, commitment=commitment, today=today)
            activity_record(user=user)
            evaluate(user, Trigger.COMMITMENT)
    return commitment


def reflection_save(*, user, prompt: ReflectionPrompt, text: str) -> Reflection:
    """Create or update the learner's private answer to a prompt."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write something, or delete the reflection instead."})
    if len(text) > REFLECTION_MAX:
        raise ValidationError({"text": f"Keep it to {REFLECTION_MAX:,} characters."})
    with transaction.atomic():
        reflection, created = Reflection.objects.select_for_update().get_or_create(
            user=user, prompt=prompt, defaults={"text": text}
        )
        if not created:
            reflection.text = text
            reflection.updated_at = timezone.now()
            reflection.save(update_fields=["text", "updated_at"])
    return reflection


def reflection_delete(*, user, reflection: Reflection) -> None:
    with transaction.atomic():
        Reflection.objects.filter(pk=reflection.pk, user=user).delete()
