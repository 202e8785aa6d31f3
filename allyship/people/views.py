"""The people import pages under /hr/import/: upload and preview, apply, and the progress of
an import being applied in the background. For HR admins only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from allyship.forms import form_error_status
from allyship.models import ImportBatch, ImportStatus
from allyship.people.forms import ImportForm
from allyship.people.importer import IN_PROGRESS, ImportRejected, people_import_preview
from allyship.people.queue import people_import_queue
from allyship.permissions import get_import_batch_for_user, require_hr
from allyship.types import AuthedHttpRequest

# An import with thousands of errors lists this many; fixing those shows the rest.
ERRORS_SHOWN = 500
PREVIEW_ROWS = 200
# How often the page asks how an import in the background is getting on.
POLL_SECONDS = 2


@require_http_methods(["GET", "POST"])
@login_required
@require_hr
def import_upload(request: AuthedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = people_import_preview(
                    data=upload.read(), file_name=upload.name, acting_user=request.user
                )
            except ImportRejected as rejected:
                errors = rejected.errors
            else:
                return redirect("hr:import-preview", batch_id=batch.pk)
        status = form_error_status(request)
    return render(
        request,
        "people/import_form.html",
        {
            "form": form,
            "errors": errors[:ERRORS_SHOWN],
            "error_count": len(errors),
            "more_errors": max(len(errors) - ERRORS_SHOWN, 0),
            "recent": ImportBatch.objects.select_related("created_by").only(
                "id", "file_name", "status", "created_at", "applied_at", "created_by__full_name"
            )[:10],
        },
        status=status,
    )


def _status_context(batch: ImportBatch) -> dict:
    outcome = batch.outcome or {}
    started = batch.started_at
    return {
        "batch": batch,
        "applied": batch.status == ImportStatus.APPLIED,
        "in_progress": batch.status in IN_PROGRESS,
        "queued": batch.status == ImportStatus.QUEUED,
        "running_seconds": int((timezone.now() - started).total_seconds()) if started else 0,
        "outcome": outcome,
        "applied_counts": outcome.get("counts", {}) if outcome.get("kind") == "applied" else {},
        "poll_seconds": POLL_SECONDS,
    }


def _preview_context(batch: ImportBatch) -> dict:
    preview = batch.preview
    outcome = batch.outcome or {}
    return {
        **_status_context(batch),
        "counts": preview.get("counts", {}),
        "new": preview.get("new", [])[:PREVIEW_ROWS],
        "updated": preview.get("updated", [])[:PREVIEW_ROWS],
        "deactivated": preview.get("deactivated", [])[:PREVIEW_ROWS],
        "departments": preview.get("departments", []),
        "warnings": preview.get("warnings", []),
        "shown": PREVIEW_ROWS,
        "more_new": max(preview.get("counts", {}).get("new", 0) - PREVIEW_ROWS, 0),
        "errors": outcome.get("errors", []) if outcome.get("kind") == "rejected" else [],
    }


@require_GET
@login_required
@require_hr
@vary_on_headers("HX-Request")
def import_preview(request: AuthedHttpRequest, batch_id: int) -> HttpResponse:
    """The preview and, while the import is applied in the background, its progress: htmx
    polls the status panel alone, and reloads the whole page once the import has ended."""
    if request.htmx:
        batch = get_import_batch_for_user(request.user, batch_id, with_preview=False)
        if batch.status not in IN_PROGRESS:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "people/import_preview.html#import-status", _status_context(batch))
    batch = get_import_batch_for_user(request.user, batch_id)
    return render(request, "people/import_preview.html", _preview_context(batch))


@require_POST
@login_required
@require_hr
def import_apply(request: AuthedHttpRequest, batch_id: int) -> HttpResponse:
    batch = get_import_batch_for_user(request.user, batch_id, with_preview=False)
    outcome = people_import_queue(batch=batch, acting_user=request.user)
    if outcome.already_applied:
        messages.info(request, "This import was already applied, so nothing changed.")
    elif outcome.in_progress:
        messages.info(request, "This import is already being applied: its progress is below.")
    return redirect("hr:import-preview", batch_id=batch.pk)
