from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Scenarios and knowledge checks"

    def ready(self) -> None:
        # Badges and XP read scenario scores and knowledge gain through learning's registry,
        # so learning never imports quizzes.
        from learning.recognition import quiz_facts
        from quizzes import selectors

        quiz_facts.register(
            scenario_scores=selectors.scenario_scores_of,
            knowledge_gained=selectors.knowledge_gained_by,
            course_gain=lambda user, course: selectors.course_knowledge_gain(
                user=user, course=course
            ),
        )
