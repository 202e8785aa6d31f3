"""pysaml2 as a real SAML identity provider for the tests, with a key and certificate made
for each test (never stored in the repository)."""

import base64
import datetime
import zlib
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server

IDP_ENTITY_ID = "https://idp.acme.example/saml/metadata"
IDP_SSO_URL = "https://idp.acme.example/saml/sso"


def make_key_pair(folder: Path) -> tuple[Path, Path, str]:
    """A fresh RSA key and a self-signed certificate; returns their files and the
    certificate's base64 body (what the SP is given)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test IdP")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = folder / "idp.key", folder / "idp.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    pem = cert.public_bytes(serialization.Encoding.PEM)
    cert_file.write_bytes(pem)
    body = "".join(pem.decode().splitlines()[1:-1])
    return key_file, cert_file, body


def identity_provider(folder: Path, sp_metadata: str, lifetime_minutes: int = 5) -> Server:
    key_file, cert_file = folder / "idp.key", folder / "idp.crt"
    config = IdPConfig()
    config.load(
        {
            "entityid": IDP_ENTITY_ID,
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "key_file": str(key_file),
            "cert_file": str(cert_file),
            "metadata": {"inline": [sp_metadata]},
            "service": {
                "idp": {
                    "endpoints": {"single_sign_on_service": [(IDP_SSO_URL, BINDING_HTTP_REDIRECT)]},
                    "policy": {"default": {"lifetime": {"minutes": lifetime_minutes}}},
                    "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                }
            },
        }
    )
    return Server(config=config)


def request_id(redirect_location: str) -> str:
    """The ID of the AuthnRequest our SP sent in its redirect to the IdP."""
    from urllib.parse import parse_qs, urlparse

    encoded = parse_qs(urlparse(redirect_location).query)["SAMLRequest"][0]
    xml = zlib.decompress(base64.b64decode(encoded), -15).decode()
    return xml.split(' ID="', 1)[1].split('"', 1)[0]


def signed_response(
    server: Server,
    *,
    in_response_to: str,
    acs_url: str,
    audience: str,
    email: str,
    sign: bool = True,
) -> str:
    """A SAML Response from the IdP for `email`, base64 as the POST binding carries it."""
    response = server.create_authn_response(
        identity={"email": [email], "name": ["Ada Lovelace"], "uid": [email]},
        in_response_to=in_response_to,
        destination=acs_url,
        sp_entity_id=audience,
        name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
        authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
        sign_assertion=sign,
        sign_response=False,
        binding=BINDING_HTTP_POST,
        sign_alg="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        digest_alg="http://www.w3.org/2001/04/xmlenc#sha256",
    )
    return base64.b64encode(str(response).encode()).decode()
