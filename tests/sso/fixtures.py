import pytest
from allauth.socialaccount.models import SocialApp

from allyship.sso.models import IdentityProvider
from tests.factories import UserFactory
from tests.sso.idp import rsa_private_key_pem

CLIENT_ID = "allyship-test"
CLIENT_SECRET = "allyship-test-secret-value"
IDP_PASSWORD = "directory-password-1"


@pytest.fixture
def openid_provider(settings, live_server):
    """DOT's OpenID provider on the live server, reached as `127.0.0.1` (its own cookies),
    while the app is used as localhost; an allauth app and a domain setting point at it."""
    from oauth2_provider.models import Application
    from oauth2_provider.settings import oauth2_settings

    settings.ROOT_URLCONF = "tests.sso.idp_urls"
    settings.LOGIN_URL = "/o/login/"  # where the provider's authorize page sends a stranger
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "OIDC_RSA_PRIVATE_KEY": rsa_private_key_pem(),
    }
    oauth2_settings.reload()
    app_url = live_server.url
    app_url = app_url.replace("127.0.0.1", "localhost")
    idp_url = app_url.replace("localhost", "127.0.0.1")
    Application.objects.create(
        name="Acme directory",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{app_url}/accounts/sso/oidc/acme/login/callback/",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="acme",
        name="Acme sign-in",
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        settings={"server_url": f"{idp_url}/o", "oauth_pkce_enabled": True},
    )
    domain = IdentityProvider.objects.create(domain="acme.example", app=app)
    yield {"app_url": app_url, "idp_url": idp_url, "domain": domain}
    oauth2_settings.reload()


@pytest.fixture
def directory_account(db):
    """Ada's account in the company directory (the provider's side)."""
    return UserFactory(
        email="ada@idp.test", full_name="Ada Lovelace", department=None, password=IDP_PASSWORD
    )
