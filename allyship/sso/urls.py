"""allauth's single sign-on URLs, under /accounts/sso/: the OpenID Connect login and
callback (/accounts/sso/oidc/<provider id>/login/callback/), SAML's ACS, SLS and metadata
(/accounts/sso/saml/<organisation>/...), and its error pages. allauth's password, sign-up
and account-connection pages are not mounted: our own login form stays the way in. Each
view answers GET and POST only, like every page of ours."""

from allauth.socialaccount import views as socialaccount_views
from allauth.socialaccount.providers.openid_connect import views as oidc
from allauth.socialaccount.providers.saml import views as saml
from django.urls import include, path
from django.views.decorators.http import require_http_methods

forms_only = require_http_methods(["GET", "POST"])

sso_urls = [
    path(
        "oidc/<str:provider_id>/",
        include(
            [
                path("login/", forms_only(oidc.login), name="openid_connect_login"),
                path("login/callback/", forms_only(oidc.callback), name="openid_connect_callback"),
            ]
        ),
    ),
    path(
        "saml/<str:organization_slug>/",
        include(
            [
                path("acs/", forms_only(saml.acs), name="saml_acs"),
                path("acs/finish/", forms_only(saml.finish_acs), name="saml_finish_acs"),
                path("sls/", forms_only(saml.sls), name="saml_sls"),
                path("metadata/", forms_only(saml.metadata), name="saml_metadata"),
                path("login/", forms_only(saml.login), name="saml_login"),
            ]
        ),
    ),
    path(
        "login/cancelled/",
        forms_only(socialaccount_views.login_cancelled),
        name="socialaccount_login_cancelled",
    ),
    path(
        "login/error/",
        forms_only(socialaccount_views.login_error),
        name="socialaccount_login_error",
    ),
    path("signup/", forms_only(socialaccount_views.signup), name="socialaccount_signup"),
]
