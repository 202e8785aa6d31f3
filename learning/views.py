from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from allyship import selectors
from allyship.permissions import roles_of
from allyship.types import AuthedHttpRequest


@require_GET
@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "learning/home.html",
        {
            "roles": roles_of(user),
            "reports": selectors.direct_reports(user)[:10],
        },
    )
