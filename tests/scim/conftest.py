import pytest

from allyship.scim.services import scim_token_create


@pytest.fixture
def scim_token(db):
    """A live token's raw value, as the client holds it."""
    _, raw = scim_token_create(name="Test IdP", acting_user=None)
    return raw


@pytest.fixture
def scim(client, scim_token):
    """A Django test client speaking SCIM with the bearer token."""

    class Scim:
        def __init__(self, token):
            self.headers = {"Authorization": f"Bearer {token}"}

        def _send(self, method, url, payload=None, **kwargs):
            import json

            body = json.dumps(payload) if payload is not None else None
            return getattr(client, method)(
                f"/scim/v2/{url}",
                data=body,
                content_type="application/scim+json",
                headers=self.headers,
                **kwargs,
            )

        def get(self, url, **kwargs):
            return client.get(f"/scim/v2/{url}", headers=self.headers, **kwargs)

        def post(self, url, payload):
            return self._send("post", url, payload)

        def put(self, url, payload):
            return self._send("put", url, payload)

        def patch(self, url, payload):
            return self._send("patch", url, payload)

        def delete(self, url):
            return client.delete(f"/scim/v2/{url}", headers=self.headers)

    return Scim(scim_token)
