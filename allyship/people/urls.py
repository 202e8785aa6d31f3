"""The people import pages, included under /hr/import/ in the `hr` namespace."""

from django.urls import path

from allyship.people import views

urlpatterns = [
    path("", views.import_upload, name="import"),
    path("<id:batch_id>/", views.import_preview, name="import-preview"),
    path("<id:batch_id>/apply/", views.import_apply, name="import-apply"),
]
