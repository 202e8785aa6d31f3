"""Role-matrix rows for the recognition URLs (badges, profile, certificates)."""

ROWS: dict = {}


def objects(people: dict) -> dict:
    return {}
