"""Reads for single sign-on."""

from urllib.parse import urlsplit

from allyship.models import User
from allyship.sso.models import IdentityProvider


def identity_provider_for_email(email: str) -> IdentityProvider | None:
    """The provider serving an address's domain, with its allauth app loaded."""
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    return IdentityProvider.objects.select_related("app").filter(domain=domain).first()


def sign_in_methods(user: User) -> list[str]:
    """How a person signs in, in words for their account page."""
    methods = [
        f"{account.get_provider().name} ({account.provider})"
        for account in user.socialaccount_set.all()
    ]
    provider = identity_provider_for_email(user.email)
    if provider is not None and not methods:
        methods.append(f"{provider.app.name} (not used yet)")
    if user.has_usable_password() and (provider is None or provider.password_sign_in):
        methods.append("Email address and password")
    return methods


def provider_origins() -> list[str]:
    """The origins the login form may send people to: each provider's OpenID issuer
    (server_url) or SAML sign-on URL. The login page's CSP form-action lists them."""
    origins = set()
    for provider in IdentityProvider.objects.select_related("app"):
        config = provider.app.settings or {}
        url = config.get("server_url") or (config.get("idp") or {}).get("sso_url") or ""
        parts = urlsplit(url)
        if parts.scheme in {"http", "https"} and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)
