from django.urls import path

from learning.recognition import views

app_name = "recognition"
urlpatterns = [
    path("badges/", views.badge_list, name="badge-list"),
    path(
        "badges/<slug:badge_slug>/credential.json",
        views.badge_credential,
        name="badge-credential",
    ),
    path("profile/", views.profile, name="profile"),
    path("certificates/<slug:course_slug>/", views.certificate_detail, name="certificate-detail"),
    path(
        "certificates/<slug:course_slug>.pdf",
        views.certificate_pdf_download,
        name="certificate-pdf",
    ),
    path("verify/<str:code>/", views.certificate_verify, name="verify"),
    path("toasts/", views.toasts, name="toasts"),
    path("toasts/dismiss/", views.toast_dismiss, name="toast-dismiss"),
]
