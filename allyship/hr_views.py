from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from allyship import selectors
from allyship.permissions import require_hr
from allyship.types import AuthedHttpRequest
from allyship.views import paginate


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_GET
@login_required
@require_hr
def people(request: AuthedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    department_id = _int_or_none(request.GET.get("department"))
    page = paginate(request, selectors.people_search(query=query, department_id=department_id))
    return render(
        request,
        "allyship/people_list.html",
        {
            "page": page,
            "query": query,
            "department_id": department_id,
            "departments": selectors.departments(),
        },
    )
