"""How one answer to a question scores: the rule that knowledge checks, course tests and
refresher reviews share. Pure: it reads the question's loaded options and nothing else."""

from quizzes.models import Question, QuestionKind


def answer_score(question: Question, selected: set[int]) -> tuple[float, bool]:
    """Score one answer from the question's (loaded) options: (0 to 1, exactly right?).

    Single choice: 1 or 0. Multiple choice: partial credit, correct picks minus wrong
    picks over the number of correct options, never below 0.
    """
    correct = {option.pk for option in question.options.all() if option.is_correct}
    exact = selected == correct
    if question.kind == QuestionKind.SINGLE:
        return (1.0 if exact else 0.0), exact
    hits = len(selected & correct)
    misses = len(selected - correct)
    return max(0.0, (hits - misses) / len(correct)), exact
