"""A real OpenID provider inside the test process: django-oauth-toolkit's, whose directory
is the @idp.test accounts. It vouches for each as the same name at @acme.example, as a
company directory would for its own domain."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from oauth2_provider.oauth2_validators import OAuth2Validator


def rsa_private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def company_email(directory_email: str) -> str:
    return directory_email.replace("@idp.test", "@acme.example")


class CompanyDirectoryValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below is released for the openid scope

    def get_additional_claims(self, request):
        return {
            "email": company_email(request.user.email),
            "email_verified": True,
            "name": request.user.full_name,
        }
