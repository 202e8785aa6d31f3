"""The test suite's settings: the app's own, plus django-oauth-toolkit as a real OpenID
provider for the single sign-on tests (mounted only by tests/sso/idp_urls.py)."""

from allyship.settings import *  # noqa: F403
from allyship.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "oauth2_provider"]
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "PKCE_REQUIRED": True,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "SCOPES": {"openid": "OpenID Connect", "email": "Email", "profile": "Profile"},
    "OAUTH2_VALIDATOR_CLASS": "tests.sso.idp.CompanyDirectoryValidator",
    # The signing key is made per test run (tests/sso/idp.py), never stored.
    "OIDC_RSA_PRIVATE_KEY": "",
}
