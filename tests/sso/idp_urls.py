"""The test-only URLconf: the whole app, plus the OpenID provider under /o/ with its own
sign-in page (a real provider is another site, whose pages may send people back to us)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override

from allyship.forms import EmailAuthenticationForm
from allyship.urls import urlpatterns as app_urlpatterns

provider_sign_in = csp_override(
    {**settings.SECURE_CSP, "form-action": [CSP.SELF, "http://localhost:*"]}
)(
    auth_views.LoginView.as_view(
        template_name="registration/login.html", authentication_form=EmailAuthenticationForm
    )
)

urlpatterns = [
    path("o/login/", provider_sign_in, name="provider-login"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    *app_urlpatterns,
]

handler403 = "allyship.views.permission_denied"
handler404 = "allyship.views.page_not_found"
handler500 = "allyship.views.server_error"
