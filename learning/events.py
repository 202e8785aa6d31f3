"""What happens when a learner does something that can earn XP or a badge.

Quizzes and learning services call these inside the transaction of the event, so
the XP, the badges and the change they reward are saved together or not at all.
"""

from learning.recognition import badges, rewards
from learning.recognition.quiz_facts import QUIZ_FACTS
from learning.services import activity_record


def scenario_finished(*, attempt, previous_best: int | None) -> None:
    """A finished scenario pays once for finishing, then again only when the best score rises."""
    scenario = attempt.scenario
    user = attempt.user
    if previous_best is None:
        rewards.xp_award(
            user=user,
            source=f"scenario:{scenario.pk}",
            amount=rewards.XP_SCENARIO_FINISHED + rewards.XP_SCENARIO_PER_POINT * attempt.score,
            reason=f"Finished the scenario “{scenario.title}”",
        )
    elif attempt.score > previous_best:
        rewards.xp_award(
            user=user,
            source=f"scenario:{scenario.pk}:best:{attempt.score}",
            amount=rewards.XP_SCENARIO_PER_POINT * (attempt.score - previous_best),
            reason=f"A stronger path through “{scenario.title}”",
        )
    activity_record(user=user)
    badges.evaluate(user, badges.Trigger.SCENARIO)


def course_test_finished(*, user, course, context: str) -> None:
    """After a post-test, knowledge gain (post above pre) pays once per course."""
    if context != "post":
        return
    gain = QUIZ_FACTS.course_gain(user, course)
    if gain is not None and gain > 0:
        rewards.xp_award(
            user=user,
            source=f"gain:{course.pk}",
            amount=rewards.XP_KNOWLEDGE_GAIN,
            reason=f"Your knowledge grew during “{course.title}”",
        )
    badges.evaluate(user, badges.Trigger.KNOWLEDGE)
