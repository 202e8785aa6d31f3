"""Role-matrix rows for learning/ URLs."""

from tests.matrix.rows import SIGNED_IN

ROWS = {
    "learning:home": SIGNED_IN,
}


def objects(people: dict) -> dict:
    return {}
