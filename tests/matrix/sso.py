"""Role-matrix rows for single sign-on (/accounts/sso/, allauth) and the sign-in page of
the account. No identity provider is set up here, so a provider's URLs are 404 for all."""

from tests.matrix.rows import OPEN, SIGNED_IN, Row

NO_SUCH_PROVIDER = Row(404, 404, 404, 404, kwargs=("provider_id=sso_provider",))
NO_SUCH_ORGANISATION = Row(404, 404, 404, 404, kwargs=("organization_slug=sso_provider",))

ROWS = {
    "account_login": Row(200, 302, 302, 302),
    "sign-in-methods": SIGNED_IN,
    "openid_connect_login": NO_SUCH_PROVIDER,
    "openid_connect_callback": NO_SUCH_PROVIDER,
    "saml_login": NO_SUCH_ORGANISATION,
    # allauth answers an ACS visit for an unknown organisation with its error redirect.
    "saml_acs": Row(302, 302, 302, 302, kwargs=("organization_slug=sso_provider",)),
    "saml_finish_acs": NO_SUCH_ORGANISATION,
    "saml_sls": NO_SUCH_ORGANISATION,
    "saml_metadata": NO_SUCH_ORGANISATION,
    "socialaccount_login_cancelled": OPEN,
    "socialaccount_login_error": Row(401, 401, 401, 401),
    "socialaccount_signup": Row(302, 302, 302, 302),
}


def objects(people: dict) -> dict:
    return {"sso_provider": "nobody"}
