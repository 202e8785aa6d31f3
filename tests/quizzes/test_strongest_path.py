"""The strongest path through a scenario: the best total over the whole graph, not greedy."""

from quizzes.loader import strongest_path
from tests.factories import scenario_file


def test_strongest_path_of_the_practice_scenario():
    data = scenario_file()
    best = strongest_path(data["steps"], data["start"])
    assert best.score == 39
    assert best.steps == ["step-1", "step-2", "step-3", "step-4", "ending-good"]
    assert best.decisions == 4


def _rating(points: int) -> str:
    return "strong" if points >= 7 else "partial" if points >= 3 else "harmful"


def _graph(*steps: tuple[str, list[tuple[int, str]]]) -> list[dict]:
    """Steps as (slug, [(points, next), ...]); a step without responses is an ending."""
    return [
        {
            "slug": slug,
            "responses": [{"points": p, "next": n, "rating": _rating(p)} for p, n in responses],
        }
        for slug, responses in steps
    ]


def test_strongest_path_is_the_best_total_not_the_best_first_choice():
    # The 10-point choice ends the scenario at once; the 7-point one opens a 10-point step.
    # A greedy walk takes 10 and stops; the strongest path is 7 + 10 = 17.
    graph = _graph(
        ("start", [(10, "end"), (7, "middle")]),
        ("middle", [(10, "end"), (2, "end")]),
        ("end", []),
    )
    best = strongest_path(graph, "start")
    assert best.score == 17
    assert best.steps == ["start", "middle"]  # "end" finishes (next: end), not a step
    assert best.decisions == 2


def test_strongest_path_looks_past_a_tempting_step_deep_in_the_graph():
    graph = _graph(
        ("a", [(5, "b"), (4, "c")]),
        ("b", [(9, "end"), (1, "end")]),
        ("c", [(3, "d")]),
        ("d", [(10, "e")]),
        ("e", [(10, "end")]),
        ("end", []),
    )
    best = strongest_path(graph, "a")
    assert best.score == 27
    assert best.steps == ["a", "c", "d", "e"]


def test_strongest_path_ties_go_to_the_response_listed_first():
    graph = _graph(
        ("start", [(6, "left"), (6, "right")]),
        ("left", [(4, "end")]),
        ("right", [(4, "end")]),
        ("end", []),
    )
    assert strongest_path(graph, "start").steps == ["start", "left"]


def test_strongest_path_of_a_single_ending_has_no_decisions():
    best = strongest_path(_graph(("end", [])), "end")
    assert (best.score, best.steps, best.decisions) == (0, ["end"], 0)
