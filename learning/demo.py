"""Demo learning data: assignments, progress, commitments and quiz answers for the demo
organisation, so the learner's home, the team page, the HR dashboard and the insights
all look lived in.

Deterministic (a person's numbers come from their id, never from random data) and
idempotent: rules are created once, people who already have progress or answers are
left alone. Everything is written with bulk_create, so 10,000 people take seconds.
"""

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Prefetch
from django.db.models.constants import OnConflict
from django.utils import timezone

from allyship.models import Department, User
from learning import rewards
from learning.assignments import assign_rule_members
from learning.models import (
    Assignment,
    AssignmentRule,
    AssignmentScope,
    Commitment,
    CommitmentStatus,
    CommitmentSuggestion,
    Course,
    CourseModule,
    CourseProgress,
    Lesson,
    LessonCompletion,
    Module,
    ModuleProgress,
)
from quizzes.models import (
    Answer,
    AnswerContext,
    Attempt,
    Choice,
    Option,
    Question,
    QuestionKind,
    QuestionPurpose,
    Rating,
    Response,
    Scenario,
    ScenarioResult,
    Step,
)

DEMO_HR = "hr@example.com"
DEMO_LEARNER = "employee@example.com"
FOUNDATIONS = "allyship-foundations"
MEETINGS = "allyship-in-meetings"
LEADERS = "allyship-for-people-leaders"
# Quiz answers for at most this many people: plenty for every group of five.
QUIZ_SAMPLE = 2000
BATCH = 2000
DAY = datetime.timedelta(days=1)
# How many modules (in curriculum order) the named people have completed.
NAMED_LEVELS = {
    DEMO_LEARNER: 1,
    "manager@example.com": 7,
    "lead@example.com": 11,
    "dana@example.com": 6,
    "eli@example.com": 0,
    "fatima@example.com": 3,
    "grace@example.com": 9,
    "hugo@example.com": 2,
    "isla@example.com": 11,
    DEMO_HR: 11,
}


def _insert(model, rows: list[dict]) -> None:
    """Insert plain rows fast, skipping any that already exist (every column is given).

    bulk_create builds a model instance and prepares every value through the ORM, which
    dominates the seed at 10,000 people. Here each field still prepares its own value
    (dates, JSON) for the database in use, and rows go in as multi-row INSERTs on SQLite
    and through COPY on PostgreSQL.
    """
    if not rows:
        return
    names = list(rows[0])
    fields = [model._meta.get_field(name) for name in names]
    values = (
        [
            field.get_db_prep_save(row[name], connection)
            for field, name in zip(fields, names, strict=True)
        ]
        for row in rows
    )
    if connection.vendor == "postgresql":
        _copy(model, fields, values)
        return
    ops = connection.ops
    head = "{} {} ({}) VALUES ".format(
        ops.insert_statement(on_conflict=OnConflict.IGNORE),
        ops.quote_name(model._meta.db_table),
        ", ".join(ops.quote_name(field.column) for field in fields),
    )
    tail = " " + (ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None) or "")
    row_sql = "({})".format(", ".join(["%s"] * len(fields)))
    size = max(1, min(BATCH, (connection.features.max_query_params or 10**6) // len(fields)))
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(values, size)):
            cursor.execute(
                head + ", ".join([row_sql] * len(batch)) + tail,
                [value for row in batch for value in row],
            )


def _copy(model, fields: list, values) -> None:
    """PostgreSQL: COPY into a temporary table, then insert what is not there yet.

    COPY is many times faster than INSERT statements but cannot skip existing rows.
    """
    import psycopg

    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    stage = ops.quote_name(f"demo_stage_{model._meta.db_table}")
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {stage} AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY {stage} ({columns}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} ON CONFLICT DO NOTHING"
        )
        cursor.execute(f"DROP TABLE {stage}")


def _mix(*numbers: int) -> int:
    """A stable number from 0 to 99 for these ids: the demo's stand-in for chance."""
    value = 2166136261
    for number in numbers:
        value = ((value ^ (number & 0xFFFFFFFF)) * 16777619) & 0xFFFFFFFF
    return (value ^ (value >> 13)) * 2654435761 % 2**32 % 100


def _level(user_id: int, email: str, module_count: int) -> int:
    if email in NAMED_LEVELS:
        return min(NAMED_LEVELS[email], module_count)
    bucket = _mix(user_id, 1)
    half = max(module_count // 2, 1)
    if bucket < 18:
        return 0
    if bucket < 55:
        return 1 + _mix(user_id, 2) % half
    if bucket < 82:
        return half + _mix(user_id, 3) % max(module_count - half, 1)
    return module_count


@dataclass
class _Context:
    today: datetime.date
    now: datetime.datetime
    hr: User | None
    modules: list[Module]
    courses: list[Course]


def seed_demo_learning() -> str:
    """Assign courses and create progress for the demo organisation; returns a summary line.

    Needs the curriculum (`load_curriculum`); without courses it does nothing.
    """
    courses = list(Course.objects.filter(retired=False).order_by("order", "title"))
    if not courses:
        return ""
    context = _Context(
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
        attempts = _seed_quizzes(context)
        _named_people_badges()
    # Fresh statistics after a bulk load, so the query planner does not guess the sizes.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return (
        f"Demo learning ready: {assigned} assignments made, progress for {learners} people, "
        f"{attempts} scenario attempts."
    )


# Assignments --------------------------------------------------------------------------


def _rule(context: _Context, course: Course, scope: str, due_in: int, **group) -> AssignmentRule:
    rule = AssignmentRule.objects.filter(course=course, scope=scope, **group).first()
    if rule is None:
        rule = AssignmentRule.objects.create(
            course=course,
            scope=scope,
            due_on=context.today + datetime.timedelta(days=due_in),
            created_by=context.hr,
            created_at=context.now - datetime.timedelta(days=30),
            **group,
        )
    return rule


def _seed_assignments(context: _Context) -> int:
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
        rule = _rule(context, by_slug[LEADERS], AssignmentScope.PEOPLE, 45)
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


def _assigned_courses() -> dict[int, set[int]]:
    assigned: dict[int, set[int]] = defaultdict(set)
    live = Assignment.objects.filter(withdrawn_at__isnull=True)
    for user_id, course_id in live.values_list("user_id", "course_id").iterator(chunk_size=BATCH):
        assigned[user_id].add(course_id)
    return assigned


def _seed_progress(context: _Context) -> int:
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
    assigned = _assigned_courses()

    module_rows: list[dict] = []
    course_rows: list[dict] = []
    commitments: list[dict] = []
    learners = 0
    for pk, email in people:
        level = _level(pk, email, len(modules))
        in_progress = level < len(modules) and (level > 0 or _mix(pk, 4) < 40)
        if level == 0 and not in_progress:
            continue
        learners += 1
        latest = context.now - datetime.timedelta(days=_mix(pk, 5) * 84 // 100, hours=_mix(pk, 6))
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
                1 if email == DEMO_LEARNER else 1 + _mix(pk, 7) % max(module.lesson_count - 1, 1)
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
    _insert(ModuleProgress, module_rows)
    _insert(CourseProgress, course_rows)
    _insert(Commitment, commitments)
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
    context: _Context,
    pk: int,
    module: Module,
    done_at: datetime.datetime,
    suggestions: dict[int, list[CommitmentSuggestion]],
    email: str,
) -> dict | None:
    options = suggestions.get(module.pk)
    if not options:
        return None
    suggestion = options[_mix(pk, module.pk) % len(options)]
    check_in_on = timezone.localdate(done_at) + datetime.timedelta(days=14)
    status = CommitmentStatus.OPEN
    reported_at = None
    if email == DEMO_LEARNER:
        check_in_on = context.today + datetime.timedelta(days=7)
    elif check_in_on <= context.today:
        bucket = _mix(pk, module.pk, 9)
        status = (
            CommitmentStatus.DONE
            if bucket < 45
            else CommitmentStatus.PARTLY
            if bucket < 65
            else CommitmentStatus.NOT_YET
            if bucket < 80
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
        "text": suggestion.text,
        "check_in_on": check_in_on,
        "status": status,
        "note": "",
        "rescheduled": False,
        "created_at": done_at,
        "reported_at": reported_at,
    }


def _demo_learner_lessons(context: _Context) -> None:
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
    from learning.badges import Trigger, evaluate

    for person in User.objects.filter(email__in=list(NAMED_LEVELS)):
        for trigger in Trigger:
            evaluate(person, trigger)


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


# Scenario attempts and quiz answers -----------------------------------------------------


def _sample(context: _Context) -> list[tuple[int, str, int]]:
    """People with progress who have no answers yet, from a fixed sample: everyone with
    progress up to QUIZ_SAMPLE, else every nth of them (and the named people)."""
    candidates = []
    for pk, email in User.objects.filter(is_active=True).order_by("id").values_list("id", "email"):
        level = _level(pk, email, len(context.modules))
        if level:
            candidates.append((pk, email, level))
    if len(candidates) > QUIZ_SAMPLE:
        step = len(candidates) / QUIZ_SAMPLE
        chosen = {candidates[int(index * step)][0] for index in range(QUIZ_SAMPLE)}
        candidates = [c for c in candidates if c[0] in chosen or c[1] in NAMED_LEVELS]
    answered = set(Attempt.objects.values_list("user_id", flat=True).distinct())
    answered |= set(Answer.objects.values_list("user_id", flat=True).distinct())
    return [c for c in candidates if c[0] not in answered]


def _difficulty(principle_id: int) -> int:
    """How likely (out of 100) people get this principle right: some are harder than others."""
    return 50 + _mix(principle_id, 11) * 40 // 100


def _seed_quizzes(context: _Context) -> int:
    sample = _sample(context)
    if not sample:
        return 0
    scenarios = {
        scenario.pk: scenario
        for scenario in Scenario.objects.filter(retired=False).prefetch_related(
            Prefetch("steps", queryset=Step.objects.order_by("order")),
            Prefetch(
                "steps__responses",
                queryset=Response.objects.filter(retired=False).order_by("order"),
            ),
        )
    }
    questions = list(
        Question.objects.filter(retired=False).prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("order"))
        )
    )
    checks: dict[int, list[Question]] = defaultdict(list)
    assessments: dict[int, list[Question]] = defaultdict(list)
    for question in questions:
        target = checks if question.purpose == QuestionPurpose.CHECK else assessments
        target[question.module_id].append(question)
    course_modules: dict[int, list[int]] = defaultdict(list)
    for course_id, module_id in CourseModule.objects.filter(course__in=context.courses).values_list(
        "course_id", "module_id"
    ):
        course_modules[course_id].append(module_id)
    assigned = _assigned_courses()

    attempts: list[Attempt] = []
    paths: list[list[Response]] = []
    answers: list[dict] = []
    for pk, _email, level in sample:
        done_modules = context.modules[:level]
        done_ids = {module.pk for module in done_modules}
        when = context.now - datetime.timedelta(days=_mix(pk, 5) * 84 // 100)
        seen_scenarios = set()
        for module in done_modules:
            scenario = scenarios.get(module.scenario_id)
            if scenario is not None and scenario.pk not in seen_scenarios:
                seen_scenarios.add(scenario.pk)
                path = _walk(scenario, pk)
                if path:
                    ending = path[-1].next_step
                    attempts.append(
                        Attempt(
                            user_id=pk,
                            scenario=scenario,
                            number=1,
                            current_step=ending,
                            ending=ending,
                            score=sum(r.points for r in path),
                            choices_made=len(path),
                            started_at=when - datetime.timedelta(minutes=12),
                            finished_at=when,
                        )
                    )
                    paths.append(path)
            for question in checks.get(module.pk, []):
                answers.append(_answer(pk, question, AnswerContext.MODULE, None, 0, when))
        for course in context.courses:
            members = course_modules.get(course.pk, [])
            if course.pk not in assigned.get(pk, ()) or not members:
                continue
            tests = [(AnswerContext.PRE, -25)]
            if all(m in done_ids for m in members):
                tests.append((AnswerContext.POST, 5))
            for test, shift in tests:
                for module_id in members:
                    for question in assessments.get(module_id, []):
                        answers.append(_answer(pk, question, test, course, shift, when))
    Attempt.objects.bulk_create(attempts, batch_size=BATCH)
    if attempts and attempts[0].pk is None:  # a database that does not return ids
        ids = {
            (a.user_id, a.scenario_id): a.pk
            for a in Attempt.objects.filter(number=1, finished_at__isnull=False)
        }
        for attempt in attempts:
            attempt.pk = ids[(attempt.user_id, attempt.scenario_id)]
    _insert(
        Choice,
        [
            {
                "attempt_id": attempt.pk,
                "step_id": response.step_id,
                "response_id": response.pk,
                "position": position,
                "points": response.points,
                "made_at": attempt.started_at + datetime.timedelta(minutes=2 * position),
            }
            for attempt, path in zip(attempts, paths, strict=True)
            for position, response in enumerate(path, start=1)
        ],
    )
    _insert(
        ScenarioResult,
        [
            {
                "user_id": attempt.user_id,
                "scenario_id": attempt.scenario_id,
                "best_score": attempt.score,
                "best_attempt_id": attempt.pk,
                "attempts_finished": 1,
                "updated_at": attempt.finished_at,
            }
            for attempt in attempts
        ],
    )
    _insert(Answer, answers)
    return len(attempts)


def _walk(scenario: Scenario, pk: int) -> list[Response]:
    """One path through a scenario: stronger choices more often, harder scenarios less so."""
    steps = {step.pk: step for step in scenario.steps.all()}
    step = steps.get(scenario.start_step_id)
    strong_share = _difficulty(scenario.principle_id)
    path: list[Response] = []
    while step is not None and not step.is_ending and len(path) < 12:
        responses = [r for r in step.responses.all() if r.next_step_id in steps]
        if not responses:
            return []
        roll = _mix(pk, step.pk, 13)
        wanted = (
            Rating.STRONG
            if roll < strong_share
            else Rating.PARTIAL
            if roll < strong_share + (100 - strong_share) * 2 // 3
            else Rating.HARMFUL
        )
        matching = [r for r in responses if r.rating == wanted] or responses
        response = matching[_mix(pk, step.pk, 17) % len(matching)]
        path.append(response)
        step = steps.get(response.next_step_id)
    return path if step is not None and step.is_ending else []


def _answer(
    pk: int,
    question: Question,
    context: str,
    course: Course | None,
    shift: int,
    when: datetime.datetime,
) -> dict:
    options = list(question.options.all())
    correct = [option.pk for option in options if option.is_correct]
    wrong = [option.pk for option in options if not option.is_correct]
    chance = max(5, min(97, _difficulty(question.principle_id) + shift))
    right = _mix(pk, question.pk, len(context)) < chance
    if right or not wrong:
        selected, score = correct, 1.0
    elif question.kind == QuestionKind.MULTIPLE and len(correct) > 1:
        selected, score = [correct[0]], 1 / len(correct)
    else:
        selected, score = [wrong[_mix(pk, question.pk) % len(wrong)]], 0.0
    return {
        "user_id": pk,
        "question_id": question.pk,
        "context": context,
        "course_id": course.pk if course else None,
        "selected": sorted(selected),
        "is_correct": score == 1.0,
        "score": score,
        "answered_at": when,
    }
