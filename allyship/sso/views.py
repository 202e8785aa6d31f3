"""The login page, aware of single sign-on, and the account page showing how one signs in."""

import logging
from urllib.parse import urlencode

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from allyship.forms import EmailAuthenticationForm
from allyship.sso.selectors import identity_provider_for_email, provider_origins, sign_in_methods
from allyship.types import AuthedHttpRequest

log = logging.getLogger("allyship.sso")


class SsoLoginView(auth_views.LoginView):
    """Django's login view (axes still throttles password attempts). An address whose domain
    signs in through its identity provider only, or anyone choosing "Use my company sign-in",
    is sent to that provider instead of checking a password."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        origins = provider_origins()
        if not origins:
            return response
        # The form's submission may be redirected to a provider: the page's CSP allows it.
        config = {**settings.SECURE_CSP, "form-action": [CSP.SELF, *origins]}
        return csp_override(config)(lambda request: response)(request)

    def post(self, request, *args, **kwargs):
        email = request.POST.get("username", "").strip().lower()
        provider = identity_provider_for_email(email) if "@" in email else None
        if provider is not None and (not provider.password_sign_in or "sso" in request.POST):
            return provider.app.get_provider(request).redirect(
                request, process="login", next_url=self.get_success_url()
            )
        return super().post(request, *args, **kwargs)


@login_required
@require_GET
def account(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "sso/account.html", {"methods": sign_in_methods(request.user)})


SSO_PROVIDER_SESSION_KEY = "sso_provider"


def provider_sign_out_url(request, provider_id: str) -> str | None:
    """The OpenID provider's end-session address (RP-initiated logout), when it has one."""
    app = SocialApp.objects.filter(provider="openid_connect", provider_id=provider_id).first()
    if app is None:
        return None
    try:
        config = app.get_provider(request).get_oauth2_adapter(request).openid_config
    except Exception:  # the provider is unreachable: our own session still ends
        log.warning("SSO sign-out: could not read %s's configuration", provider_id)
        return None
    endpoint = config.get("end_session_endpoint")
    if not endpoint:
        return None
    query = urlencode(
        {
            "client_id": app.client_id,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
    )
    return f"{endpoint}?{query}"


class SsoLogoutView(auth_views.LogoutView):
    """Sign-out ends our session, then, for someone who came through an OpenID provider
    that supports it, sends them to end the provider's session too."""

    def post(self, request, *args, **kwargs):
        provider_id = request.session.get(SSO_PROVIDER_SESSION_KEY)
        response = super().post(request, *args, **kwargs)
        url = provider_sign_out_url(request, provider_id) if provider_id else None
        return HttpResponseRedirect(url) if url else response
