"""factory-boy factories for every model, with sequences (no random data) and role traits."""

import factory
from django.contrib.auth.models import Group

from allyship.models import HR_GROUP, AuditEntry, Department, User
from allyship.services import roles_refresh
from learning.summaries import learning_summaries_refresh

PASSWORD = "correct-horse-battery"


class SummaryKeepingFactory(factory.django.DjangoModelFactory):
    """A factory for rows the write services would refresh a learning summary for: it
    refreshes the person's summary after creating one, as those services do."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        created = super()._create(model_class, *args, **kwargs)
        learning_summaries_refresh(user_ids=[created.user_id])
        return created


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Department {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@test.example")
    full_name = factory.Sequence(lambda n: f"Person {n:04d}")
    department = factory.SubFactory(DepartmentFactory, name="Engineering")
    password = factory.django.Password(PASSWORD)

    class Params:
        hr = factory.Trait(
            is_staff=True,
            is_hr_admin=True,
            hr_role=factory.PostGeneration(
                lambda user, create, extracted, **kw: user.groups.add(
                    Group.objects.get_or_create(name=HR_GROUP)[0]
                )
            ),
        )

    @factory.post_generation
    def manager_role(user, create, extracted, **kwargs):
        """A person's manager now has a report: their stored role follows, as in the services."""
        if create and user.manager_id:
            roles_refresh(user_ids=[user.manager_id])
            user.manager.refresh_from_db(fields=["has_reports"])


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEntry

    actor = factory.SubFactory(UserFactory)
    action = "test.action"
    target = factory.Sequence(lambda n: f"target {n}")


_counter = iter(range(1, 10**9))


def _seq() -> int:
    """A sequence number for objects built outside factories (tests/learning/builders.py)."""
    return next(_counter)


# Quizzes ----------------------------------------------------------------------------------
# Models are named as strings and learning rows come from small get_or_create helpers, so
# this section stands alone next to the learning builders (tests/learning/builders.py).


def principle_for_quizzes(slug: str = "interrupting-bias"):
    from learning.models import Principle

    name = slug.replace("-", " ").capitalize()
    return Principle.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def scenario_file(slug: str = "practice-scenario", principle: str = "interrupting-bias") -> dict:
    """A valid scenario file as the loader reads it: four decisions on the strongest path
    (39 points), a harmful first choice that leads to a consequence step, and two endings."""

    def responses(step: str, strong: tuple, partial: tuple, harmful: tuple) -> list[dict]:
        return [
            {
                "slug": f"{step}-{rating}",
                "text": f"Approach {letter} at {step}.",
                "rating": rating,
                "points": points,
                "principle": principle,
                "feedback": f"Feedback for the {rating} response at {step}.",
                "next": target,
            }
            for letter, rating, (points, target) in (
                ("A", "strong", strong),
                ("B", "partial", partial),
                ("C", "harmful", harmful),
            )
        ]

    def step(slug: str, title: str, *choices) -> dict:
        data = {"slug": slug, "title": title, "situation": f"You are at {title.lower()}."}
        if choices:
            data["responses"] = responses(slug, *choices)
        else:
            data["ending"] = True
            data["outcome"] = "good" if slug == "ending-good" else "poor"
        return data

    return {
        "slug": slug,
        "title": "A practice scenario",
        "principle": principle,
        "summary": "Four decisions in a meeting.",
        "start": "step-1",
        "steps": [
            step("step-1", "The meeting", (10, "step-2"), (5, "step-2"), (1, "consequence")),
            step(
                "consequence", "The consequence", (8, "step-3"), (4, "step-3"), (0, "ending-poor")
            ),
            step("step-2", "After the meeting", (9, "step-3"), (4, "step-3"), (2, "step-3")),
            step("step-3", "The follow-up", (10, "step-4"), (5, "step-4"), (1, "ending-poor")),
            step(
                "step-4", "The retro", (10, "ending-good"), (6, "ending-good"), (0, "ending-poor")
            ),
            step("ending-good", "Things change"),
            step("ending-poor", "Nothing changes"),
        ],
    }


def scenario_from_file(data: dict | None = None, order: int = 0):
    """Load a scenario file dict through the real loader (principles are created first)."""
    from quizzes.loader import apply_scenario

    data = data or scenario_file()
    slugs = {data["principle"]} | {
        response["principle"] for step in data["steps"] for response in step.get("responses", [])
    }
    return apply_scenario(data, {slug: principle_for_quizzes(slug) for slug in slugs}, order)


class QuizModuleFactory(factory.django.DjangoModelFactory):
    """A learning Module, as much as the quizzes tests need of one."""

    class Meta:
        model = "learning.Module"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"quiz-module-{n}")
    title = factory.Sequence(lambda n: f"Quiz module {n}")
    principle = factory.LazyFunction(principle_for_quizzes)
    order = factory.Sequence(lambda n: n)
    lesson_count = 3


class QuizCourseFactory(factory.django.DjangoModelFactory):
    """A learning Course; pass `modules=[...]` to place modules in it, in order."""

    class Meta:
        model = "learning.Course"
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"quiz-course-{n}")
    title = factory.Sequence(lambda n: f"Quiz course {n}")

    @factory.post_generation
    def modules(course, create, extracted, **kwargs):
        from learning.models import CourseModule

        for order, module in enumerate(extracted or []):
            CourseModule.objects.get_or_create(
                course=course, module=module, defaults={"order": order}
            )
        if extracted:
            course.module_count = len(extracted)
            course.save(update_fields=["module_count"])


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question with three options, the first one correct (`multiple`: the first two)."""

    class Meta:
        model = "quizzes.Question"
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"question-{n}")
    module = factory.SubFactory(QuizModuleFactory)
    principle = factory.LazyAttribute(lambda q: q.module.principle)
    purpose = "check"
    kind = "single"
    prompt = factory.Sequence(lambda n: f"Question {n}: what helps most?")
    explanation = factory.Sequence(lambda n: f"Explanation {n}: why the right answer helps.")
    explanation_html = factory.LazyAttribute(lambda q: f"<p>{q.explanation}</p>")
    order = factory.Sequence(lambda n: n)

    class Params:
        multiple = factory.Trait(kind="multiple")

    @factory.post_generation
    def options(question, create, extracted, **kwargs):
        from quizzes.models import Option

        correct = 2 if question.kind == "multiple" else 1
        count = 4 if question.kind == "multiple" else 3
        for order in range(count):
            Option.objects.create(
                question=question,
                order=order,
                text=f"Option {order + 1} of {question.slug}",
                is_correct=order < correct,
            )


class AttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.Attempt"

    user = factory.SubFactory(UserFactory)
    scenario = factory.LazyFunction(scenario_from_file)
    number = factory.Sequence(lambda n: n + 1)
    current_step = factory.LazyAttribute(lambda a: a.scenario.start_step)
