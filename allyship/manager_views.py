from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from allyship import selectors
from allyship.permissions import require_manager, team_of
from allyship.types import AuthedHttpRequest
from allyship.views import paginate


@require_GET
@login_required
@require_manager
def team(request: AuthedHttpRequest) -> HttpResponse:
    everyone = request.GET.get("scope") == "all"
    members = (
        team_of(request.user).filter(is_active=True).select_related("department", "manager")
        if everyone
        else selectors.direct_reports(request.user).select_related("manager")
    ).order_by("full_name", "id")
    page = paginate(request, members, per_page=100)
    return render(request, "allyship/team_list.html", {"page": page, "everyone": everyone})
