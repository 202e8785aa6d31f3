from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from allyship import views
from allyship.forms import EmailAuthenticationForm

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("manager/", include("allyship.manager_urls")),
    path("hr/", include("allyship.hr_urls")),
    path("admin/", admin.site.urls),
    path("", include("learning.recognition_urls")),
    path("", include("quizzes.urls")),
    path("", include("learning.urls")),
]

handler403 = "allyship.views.permission_denied"
handler404 = "allyship.views.page_not_found"
handler500 = "allyship.views.server_error"
