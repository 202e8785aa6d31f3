"""A scope's figures built from an organisation read into cells, written by hand: which cells
make up a scope, the dashboard's sums, and the insight sums with the five-person rule."""

import datetime

from allyship.reporting.figures import dashboard_figures, insight_figures, scope_cells
from allyship.reporting.organisation import Organisation

MONDAYS = [datetime.date(2026, 9, 7) + datetime.timedelta(weeks=week) for week in range(12)]
SALES, LEGAL, GONE = 1, 2, 3  # department 3 has since been deleted


def _weeks(**counts) -> list[int]:
    weeks = [0] * 12
    for index, count in counts.items():
        weeks[int(index.removeprefix("w"))] = count
    return weeks


def _organisation() -> Organisation:
    # Boss 10 manages 11 and 13; 11 manages 12, who manages 16. 14 manages 15 alone.
    # 20, 21 and 22 manage each other in a loop (data edited by hand), 22 manages 23.
    managers = {10: None, 11: 10, 12: 11, 13: 10, 14: None, 15: 14, 16: 12}
    managers |= {22: 21, 20: 21, 21: 20, 23: 22}
    return Organisation(
        today=datetime.date(2026, 11, 25),
        mondays=MONDAYS,
        managers=managers,
        departments={SALES: "Sales", LEGAL: "Legal"},
        people={(SALES, 10): 3, (SALES, 11): 6, (LEGAL, 11): 5, (0, 0): 2, (LEGAL, 14): 4},
        progress={
            (SALES, 11): {
                100: {
                    "assigned": 4,
                    "completed": 1,
                    "overdue": 1,
                    "in_progress": 2,
                    "percent_total": 150,
                }
            },
            (SALES, 10): {
                100: {
                    "assigned": 1,
                    "completed": 1,
                    "overdue": 0,
                    "in_progress": 0,
                    "percent_total": None,
                }
            },
            (GONE, 0): {
                100: {
                    "assigned": 2,
                    "completed": 0,
                    "overdue": 2,
                    "in_progress": 0,
                    "percent_total": 0,
                }
            },
        },
        weekly={(SALES, 11): {100: _weeks(w0=1)}, (SALES, 10): {100: _weeks(w0=1, w11=2)}},
        units={
            (SALES, 11): {
                ("check", 7): {"people": 6, "total": 3.0, "n": 6},
                ("prepost", 100, 7, "pre"): {"people": 5, "total": 2.0, "n": 5},
                ("gain", 100, "post"): {"people": 5, "total": 4.0, "n": 5},
                ("commit",): {
                    "people": 5,
                    "made": 5,
                    "done": 2,
                    "partly": 1,
                    "not_yet": 1,
                    "open": 1,
                },
                ("step", 50): {"people": 5, "times": {60: 3, 61: 2}},
                ("retention", 7, "week_1"): {"people": 5, "total": 3, "n": 4},
                ("plans", 7): {"people": 5, "reported": 4, "arose": 3, "acted": None},
            },
            (LEGAL, 11): {
                ("check", 7): {"people": 5, "total": 1.0, "n": 5},
                ("step", 50): {"people": 5, "times": {60: 1}},
                ("strong", 8): {"people": 4, "total": 1.0, "n": 4},  # four: left out
            },
            (LEGAL, 13): {("check", 9): {"people": 5, "total": 5.0, "n": 5}},
            (0, 0): {("check", 7): {"people": 2, "total": 2.0, "n": 2}},
        },
    )


def test_a_scope_is_the_cells_of_its_department_and_of_everyone_below_its_manager():
    org = _organisation()
    everyone = [(0, 0), (SALES, 10), (SALES, 11), (LEGAL, 11), (LEGAL, 13), (LEGAL, 14), (GONE, 0)]
    assert scope_cells(org, "org") == everyone
    assert scope_cells(org, f"department:{SALES}") == [(SALES, 10), (SALES, 11)]
    # Boss 10's team: the cells managed by 10, 11, 12, 13 or 16.
    assert scope_cells(org, "team:10") == [(SALES, 10), (SALES, 11), (LEGAL, 11), (LEGAL, 13)]
    assert scope_cells(org, "team:11") == [(SALES, 11), (LEGAL, 11)]
    assert scope_cells(org, f"department:{LEGAL}|team:10") == [(LEGAL, 11), (LEGAL, 13)]
    assert scope_cells(org, "team:14") == [(LEGAL, 14)]
    assert scope_cells(org, "team:99") == []


def test_a_loop_of_managers_is_walked_once_and_whole():
    org = _organisation()
    org.people |= {(SALES, 20): 1, (SALES, 21): 1, (SALES, 22): 1, (SALES, 23): 1}
    # 20 is reached again through 21: passed over, and 22 and 23 below 21 are still walked.
    assert scope_cells(org, "team:20") == [(SALES, 20), (SALES, 21), (SALES, 22), (SALES, 23)]


def test_the_dashboard_adds_up_each_course_and_department_over_the_scopes_cells():
    org = _organisation()
    assert dashboard_figures(org, scope_cells(org, "org")) == {
        "rows": [
            {
                "course_id": 100,
                "department_id": SALES,
                "assigned": 5,
                "completed": 2,
                "overdue": 1,
                "in_progress": 2,
                "percent_total": 150,
            },
            {
                "course_id": 100,
                "department_id": GONE,
                "assigned": 2,
                "completed": 0,
                "overdue": 2,
                "in_progress": 0,
                "percent_total": 0,
            },
        ],
        "people": [[0, 2], [SALES, 9], [LEGAL, 9], [GONE, 0]],
        "weeks": [day.isoformat() for day in MONDAYS],
        "weekly": [[100, SALES, _weeks(w0=2, w11=2)]],
    }


def test_insight_sums_count_only_units_of_five_people_or_more():
    org = _organisation()
    assert insight_figures(org, scope_cells(org, "org")) == {
        "people": 20,
        "check": {
            "7": {"total": 4.0, "n": 11, "people": 11},  # the cell of two is left out
            "9": {"total": 5.0, "n": 5, "people": 5},
        },
        "strong": {},
        "prepost": {
            "100": {"7": {"pre": {"total": 2.0, "n": 5, "people": 5}}},
            "all": {"7": {"pre": {"total": 2.0, "n": 5, "people": 5}}},
        },
        "gain": {
            "100": {"1": {"post": {"total": 4.0, "n": 5, "people": 5}}},
            "all": {"1": {"post": {"total": 4.0, "n": 5, "people": 5}}},
        },
        "commit": {
            "all": {"people": 5, "made": 5, "done": 2, "partly": 1, "not_yet": 1, "open": 1},
            "1": {"people": 5, "made": 5, "done": 2, "partly": 1, "not_yet": 1, "open": 1},
        },
        "steps": {"50": {"people": 10, "times": {"60": 4, "61": 2}}},
        "retention": {"7": {"week_1": {"total": 3, "n": 4, "people": 5}}},
        "plans": {"7": {"people": 5, "reported": 4, "arose": 3, "acted": 0}},
        "departments": {
            "0": "No department",
            "1": "Sales",
            "2": "Legal",
            "3": "No department",
            "all": "Everyone",
        },
    }


def test_a_team_scope_sums_only_its_own_cells():
    org = _organisation()
    figures = insight_figures(org, scope_cells(org, f"department:{LEGAL}|team:10"))
    assert (figures["people"], figures["check"], figures["steps"], figures["commit"]) == (
        5,
        {"7": {"total": 1.0, "n": 5, "people": 5}, "9": {"total": 5.0, "n": 5, "people": 5}},
        {"50": {"people": 5, "times": {"60": 1}}},
        {},
    )
    assert figures["departments"] == {"2": "Legal", "all": "Everyone"}
