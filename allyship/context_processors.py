from django.http import HttpRequest

from allyship.permissions import is_hr, is_manager


def navigation(request: HttpRequest) -> dict[str, bool]:
    """Which sections the navigation offers: each role sees only what it may open."""
    user = getattr(request, "user", None)
    return {"nav_is_manager": is_manager(user), "nav_is_hr": is_hr(user)}
