from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_GET, require_http_methods

from allyship import views
from allyship.forms import InvitePasswordResetForm
from allyship.sso import views as sso_views
from allyship.sso.urls import sso_urls
from allyship.sso.views import SsoLoginView, SsoLogoutView

# Django's auth views would otherwise also answer PUT (as POST), and some answer any method
# before checking it: the decorators refuse other methods first.
forms_only = require_http_methods(["GET", "POST"])

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", forms_only(SsoLoginView.as_view()), name="login"),
    # The same page under the name allauth's SSO pages link to.
    path("accounts/login/", forms_only(SsoLoginView.as_view()), name="account_login"),
    path("accounts/sign-in/", sso_views.account, name="sign-in-methods"),
    path("accounts/sso/", include(sso_urls)),
    path("accounts/logout/", SsoLogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        forms_only(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        require_GET(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path(
        "accounts/password_reset/",
        forms_only(views.PasswordResetRequestView.as_view(form_class=InvitePasswordResetForm)),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/done/",
        require_GET(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        forms_only(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        require_GET(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("manager/", include("allyship.reporting.urls.manager")),
    path("hr/", include("allyship.reporting.urls.hr")),
    path("scim/v2/", include("allyship.scim.urls")),
    path("admin/", admin.site.urls),
    path("refreshers/", include("learning.refreshers.urls")),
    path("", include("learning.recognition.urls")),
    path("", include("quizzes.urls")),
    path("", include("learning.urls")),
]

handler400 = "allyship.views.bad_request"
handler403 = "allyship.views.permission_denied"
handler404 = "allyship.views.page_not_found"
handler500 = "allyship.views.server_error"
