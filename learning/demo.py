"""Demo learning data: assignments and progress for the demo organisation."""


def seed_demo_learning() -> str:
    """Nothing yet beyond the curriculum; returns a summary line."""
    return ""
