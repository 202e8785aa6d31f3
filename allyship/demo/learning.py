"""Demo learning data: assignments, progress, commitments and quiz answers for the demo
organisation, so the learner's home, the team page, the HR dashboard and the insights
all look lived in.

Deterministic (a person's numbers come from their id, never from random data) and
idempotent: rules are created once, people who already have progress or answers are
left alone. Everything is written with bulk_create, so 10,000 people take seconds.
"""

import datetime
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from allyship.demo.bulk import (
    DAY,
    DEMO_HR,
    DEMO_LEARNER,
    FOUNDATIONS,
    LEADERS,
    MEETINGS,
    NAMED_LEVELS,
    DemoContext,
    assigned_courses,
    chance,
    insert_rows,
    level_of,
)
from allyship.demo.quizzes import seed_quizzes
from allyship.demo.recall import seed_demo_recall
from allyship.models import Department, User
from learning.assignments import assign_rule_members
from learning.models import (
    AssignmentRule,
    AssignmentScope,
    Commitment,
    CommitmentStatus,
    CommitmentSuggestion,
    Course,
    CourseModule,
    CourseProgress,
    LearnerStats,
    Lesson,
    LessonCompletion,
    Module,
    ModuleProgress,
)
from learning.recognition import rewards
from learning.recognition.badges import Trigger, evaluate
from learning.services import week_start
from learning.summaries import learning_summaries_refresh_all


def seed_demo_learning() -> str:
    """Assign courses and create progress for the demo organisation; returns a summary line.

    Needs the curriculum (`load_curriculum`); without courses it does nothing.
    """
    courses = list(Course.objects.filter(retired=False).order_by("order", "title"))
    if not courses:
        return ""
    context = DemoContext(
        today=timezone.localdate(),
        now=timezone.now(),
        hr=User.objects.filter(email=DEMO_HR).first(),
        modules=list(
            Module.objects.filter(retired=False, course_modules__course__retired=False)
            .distinct()
            .order_by("order", "title")
        ),
        courses=courses,
    )
    with transaction.atomic():
        assigned = _seed_assignments(context)
        learners = _seed_progress(context)
        attempts = seed_quizzes(context)
        recall = seed_demo_recall(context.modules)
        _named_people_streaks(context)
        _named_people_badges()
        learning_summaries_refresh_all()
    # Fresh statistics after a bulk load, so the query planner does not guess the sizes.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return (
        f"Demo learning ready: {assigned} assignments made, progress for {learners} people, "
        f"{attempts} scenario attempts. {recall}"
    )


# Assignments --------------------------------------------------------------------------


def _rule(context: DemoContext, course: Course, scope: str, due_in: int, **group) -> AssignmentRule:
    rule = AssignmentRule.objects.filter(course=course, scope=scope, **group).first()
    if rule is None:
        rule = AssignmentRule.objects.create(
            course=course,
            scope=scope,
            due_on=context.today + datetime.timedelta(days=due_in),
            created_by=context.hr,
            created_at=context.now - datetime.timedelta(days=30),
            group_key=AssignmentRule.key_for(
                scope,
                department_id=group["department"].pk if group.get("department") else None,
                team_manager_id=group["team_manager"].pk if group.get("team_manager") else None,
            ),
            **group,
        )
    return rule


def _seed_assignments(context: DemoContext) -> int:
    active = User.objects.filter(is_active=True)
    made = 0
    by_slug = {course.slug: course for course in context.courses}
    departments = list(Department.objects.order_by("name"))
    engineering = next((d for d in departments if d.name == "Engineering"), None)
    plan: list[tuple[AssignmentRule, list[int]]] = []
    if FOUNDATIONS in by_slug:
        rule = _rule(context, by_slug[FOUNDATIONS], AssignmentScope.EVERYONE, 21)
        plan.append((rule, list(active.values_list("id", flat=True))))
    if MEETINGS in by_slug and engineering is not None:
        rule = _rule(
            context, by_slug[MEETINGS], AssignmentScope.DEPARTMENT, -10, department=engineering
        )
        plan.append(
            (rule, list(active.filter(department=engineering).values_list("id", flat=True)))
        )
    if LEADERS in by_slug:
        managers = list(
            active.filter(reports__is_active=True).distinct().values_list("id", flat=True)
        )
        # The "people leaders" scope: whoever takes on a first report later gets it too.
        rule = _rule(context, by_slug[LEADERS], AssignmentScope.PEOPLE_LEADERS, 45)
        plan.append((rule, managers))
    others = [
        course for course in context.courses if course.slug not in {FOUNDATIONS, MEETINGS, LEADERS}
    ]
    for index, course in enumerate(others):
        if not departments:
            break
        department = departments[index % len(departments)]
        due_in = (index * 13) % 60 - 20
        rule = _rule(context, course, AssignmentScope.DEPARTMENT, due_in, department=department)
        plan.append((rule, list(active.filter(department=department).values_list("id", flat=True))))
    for rule, ids in plan:
        made += assign_rule_members(rule, ids, due_on=rule.due_on, revive=False)[0]
    return made


# Progress, commitments ----------------------------------------------------------------


def _seed_progress(context: DemoContext) -> int:
    """Module progress in curriculum order, the assigned courses' progress derived from it
    (as course_progress_refresh would), and a commitment for every finished module."""
    modules = context.modules
    if not modules:
        return 0
    started = set(ModuleProgress.objects.values_list("user_id", flat=True).distinct())
    people = [
        (pk, email)
        for pk, email in User.objects.filter(is_active=True)
        .order_by("id")
        .values_list("id", "email")
        if pk not in started
    ]
    suggestions: dict[int, list[CommitmentSuggestion]] = defaultdict(list)
    for suggestion in CommitmentSuggestion.objects.filter(retired=False).order_by("order"):
        suggestions[suggestion.module_id].append(suggestion)
    courses = {course.pk: course for course in context.courses}
    course_modules: dict[int, list[int]] = defaultdict(list)
    for course_id, module_id in CourseModule.objects.filter(course__in=context.courses).values_list(
        "course_id", "module_id"
    ):
        course_modules[course_id].append(module_id)
    assigned = assigned_courses()

    module_rows: list[dict] = []
    course_rows: list[dict] = []
    commitments: list[dict] = []
    learners = 0
    for pk, email in people:
        level = level_of(pk, email, len(modules))
        in_progress = level < len(modules) and (level > 0 or chance(pk, 4) < 40)
        if level == 0 and not in_progress:
            continue
        learners += 1
        latest = context.now - datetime.timedelta(
            days=chance(pk, 5) * 84 // 100, hours=chance(pk, 6)
        )
        percents: dict[int, tuple[int, datetime.datetime | None]] = {}
        for index, module in enumerate(modules[:level]):
            done_at = latest - datetime.timedelta(days=(level - 1 - index) * 3)
            percents[module.pk] = (100, done_at)
            module_rows.append(
                _module_row(pk, module, module.lesson_count, 100, done_at - DAY * 2, done_at, True)
            )
            commitment = _commitment(context, pk, module, done_at, suggestions, email)
            if commitment is not None:
                commitments.append(commitment)
        if in_progress:
            module = modules[level]
            lessons = (
                1 if email == DEMO_LEARNER else 1 + chance(pk, 7) % max(module.lesson_count - 1, 1)
            )
            percent = min(99, lessons * 100 // module.step_count)
            percents[module.pk] = (percent, None)
            module_rows.append(_module_row(pk, module, lessons, percent, latest, latest, False))
        for course_id in assigned.get(pk, ()):
            course = courses.get(course_id)
            reached = [percents[m] for m in course_modules.get(course_id, []) if m in percents]
            if course is None or not reached:
                continue
            completed = [when for _, when in reached if when is not None]
            finished = len(completed) >= course.module_count
            course_rows.append(
                {
                    "user_id": pk,
                    "course_id": course_id,
                    "modules_completed": len(completed),
                    "percent": 100
                    if finished
                    else min(99, sum(v for v, _ in reached) // max(course.module_count, 1)),
                    "last_module_id": None,
                    "started_at": min(completed, default=latest) - DAY * 2,
                    "updated_at": max(completed, default=latest),
                    "completed_at": max(completed) if finished else None,
                }
            )
    insert_rows(ModuleProgress, module_rows)
    insert_rows(CourseProgress, course_rows)
    insert_rows(Commitment, commitments)
    _demo_learner_lessons(context)
    _named_people_xp()
    return learners


def _module_row(pk, module, lessons, percent, started, updated, done) -> dict:
    return {
        "user_id": pk,
        "module_id": module.pk,
        "lessons_completed": lessons,
        "check_completed": done,
        "commitment_made": done,
        "percent": percent,
        "last_lesson_id": None,
        "started_at": started,
        "updated_at": updated,
        "completed_at": updated if done else None,
    }


def _commitment(
    context: DemoContext,
    pk: int,
    module: Module,
    done_at: datetime.datetime,
    suggestions: dict[int, list[CommitmentSuggestion]],
    email: str,
) -> dict | None:
    options = suggestions.get(module.pk)
    if not options:
        return None
    suggestion = options[chance(pk, module.pk) % len(options)]
    check_in_on = timezone.localdate(done_at) + datetime.timedelta(days=14)
    status = CommitmentStatus.OPEN
    reported_at = None
    if email == DEMO_LEARNER:
        check_in_on = context.today + datetime.timedelta(days=7)
    elif check_in_on <= context.today:
        bucket = chance(pk, module.pk, 9)
        status = (
            CommitmentStatus.DONE
            if bucket < 45
            else CommitmentStatus.PARTLY
            if bucket < 65
            else CommitmentStatus.NOT_YET
            if bucket < 72
            else CommitmentStatus.NOT_ARISEN
            if bucket < 84
            else CommitmentStatus.OPEN
        )
        if status != CommitmentStatus.OPEN:
            reported_at = timezone.make_aware(
                datetime.datetime.combine(check_in_on, datetime.time(10))
            )
    return {
        "user_id": pk,
        "module_id": module.pk,
        "suggestion_id": suggestion.pk,
        "situation": suggestion.situation,
        "action": suggestion.text,
        "private_note": "",
        "check_in_on": check_in_on,
        "status": status,
        "arose": None if status == CommitmentStatus.OPEN else status != CommitmentStatus.NOT_ARISEN,
        "went": "",
        "note": "",
        "rescheduled": False,
        "created_at": done_at,
        "reported_at": reported_at,
    }


def _demo_learner_lessons(context: DemoContext) -> None:
    """The demo learner's finished and current lessons, so "Continue" lands on a real lesson."""
    learner = User.objects.filter(email=DEMO_LEARNER).first()
    if learner is None:
        return
    progress = list(ModuleProgress.objects.filter(user=learner).select_related("module"))
    rows = []
    for item in progress:
        lessons = list(
            Lesson.objects.filter(module=item.module, retired=False).order_by("order")[
                : item.lessons_completed
            ]
        )
        rows += [LessonCompletion(user=learner, lesson=lesson) for lesson in lessons]
        if item.completed_at is None and lessons and item.last_lesson_id is None:
            item.last_lesson = lessons[-1]
            item.save(update_fields=["last_lesson"])
    LessonCompletion.objects.bulk_create(rows, ignore_conflicts=True)


def _named_people_badges() -> None:
    """The badges the named people's demo history has earned, through the badge rules (and
    the XP each pays), so their gallery matches their progress. Awarded once, like any badge."""

    for person in User.objects.filter(email__in=list(NAMED_LEVELS)):
        for trigger in Trigger:
            evaluate(person, trigger)


def _named_people_streaks(context: DemoContext) -> None:
    """Weekly streaks that match the named people's demo history: the run of consecutive
    weeks with progress, current if it reaches this week or last (as activity_record counts)."""

    people = list(User.objects.filter(email__in=list(NAMED_LEVELS)))
    for person in people:
        moments = list(
            ModuleProgress.objects.filter(user=person).values_list("updated_at", flat=True)
        )
        moments += LessonCompletion.objects.filter(user=person).values_list(
            "completed_at", flat=True
        )
        days = {timezone.localdate(moment) for moment in moments if moment is not None}
        weeks = sorted({week_start(day) for day in days if day <= context.today})
        if not weeks:
            continue
        run = longest = 1
        for earlier, later in zip(weeks, weeks[1:], strict=False):
            run = run + 1 if later - earlier == datetime.timedelta(weeks=1) else 1
            longest = max(longest, run)
        recent = weeks[-1] >= week_start(context.today) - datetime.timedelta(weeks=1)
        LearnerStats.objects.update_or_create(
            user=person,
            defaults={
                "current_streak": run if recent else 0,
                "longest_streak": longest,
                "last_active_week": weeks[-1],
            },
        )


def _named_people_xp() -> None:
    """XP for the named people's finished lessons and modules, through the XP service, so
    the level on their home page matches their progress (each source pays once)."""
    for person in User.objects.filter(email__in=list(NAMED_LEVELS)):
        for completion in LessonCompletion.objects.filter(user=person).select_related("lesson"):
            rewards.xp_award(
                user=person,
                source=f"lesson:{completion.lesson_id}",
                amount=rewards.XP_LESSON,
                reason=f"Read “{completion.lesson.title}”",
            )
        for progress in ModuleProgress.objects.filter(
            user=person, completed_at__isnull=False
        ).select_related("module"):
            rewards.xp_award(
                user=person,
                source=f"module:{progress.module_id}",
                amount=rewards.XP_MODULE,
                reason=f"Completed the module “{progress.module.title}”",
            )
