"""HR's people import pages: upload a CSV, preview the changes, apply them. HR admins only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from allyship.forms import form_error_status
from allyship.hr_forms import ImportForm
from allyship.importer import ImportRejected, people_import_apply, people_import_preview
from allyship.models import ImportBatch, ImportStatus
from allyship.permissions import get_import_batch_for_user, require_hr
from allyship.types import AuthedHttpRequest

# An import with thousands of errors lists this many; fixing those shows the rest.
ERRORS_SHOWN = 500
PREVIEW_ROWS = 200


# People import ------------------------------------------------------------------------


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
        "hr/import_form.html",
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


def _preview_context(batch: ImportBatch) -> dict:
    preview = batch.preview
    return {
        "batch": batch,
        "counts": preview.get("counts", {}),
        "new": preview.get("new", [])[:PREVIEW_ROWS],
        "updated": preview.get("updated", [])[:PREVIEW_ROWS],
        "deactivated": preview.get("deactivated", [])[:PREVIEW_ROWS],
        "departments": preview.get("departments", []),
        "warnings": preview.get("warnings", []),
        "shown": PREVIEW_ROWS,
        "more_new": max(preview.get("counts", {}).get("new", 0) - PREVIEW_ROWS, 0),
        "applied": batch.status == ImportStatus.APPLIED,
    }


@require_GET
@login_required
@require_hr
def import_preview(request: AuthedHttpRequest, batch_id: int) -> HttpResponse:
    batch = get_import_batch_for_user(request.user, batch_id)
    return render(request, "hr/import_preview.html", _preview_context(batch))


@require_POST
@login_required
@require_hr
def import_apply(request: AuthedHttpRequest, batch_id: int) -> HttpResponse:
    batch = get_import_batch_for_user(request.user, batch_id)
    try:
        outcome = people_import_apply(batch=batch, acting_user=request.user)
    except ImportRejected as rejected:
        context = _preview_context(batch)
        context["errors"] = rejected.errors[:ERRORS_SHOWN]
        return render(request, "hr/import_preview.html", context, status=form_error_status(request))
    if outcome.already_applied:
        messages.info(request, "This import was already applied, so nothing changed.")
    elif outcome.refreshed:
        messages.warning(
            request,
            "People changed since this preview was made, so nothing was applied. "
            "The preview below is up to date: check it and apply again.",
        )
    else:
        counts = outcome.counts
        messages.success(
            request,
            f"Import applied: {counts['new']} new, {counts['updated']} updated, "
            f"{counts['deactivated']} deactivated.",
        )
    return redirect("hr:import-preview", batch_id=batch.pk)
