"""Role-matrix rows for SCIM (/scim/v2/): a bearer token is the only way in, so every role,
signed in or not, gets 401 (the SCIM tests show what a token reaches)."""

from tests.matrix.rows import Row

TOKEN_ONLY = Row(401, 401, 401, 401)
TOKEN_ONLY_POST = Row(401, 401, 401, 401, method="post")
RESOURCE = Row(401, 401, 401, 401, also=("put", "patch", "delete"))

ROWS = {
    "scim:service-provider-config": TOKEN_ONLY,
    "scim:resource-types": TOKEN_ONLY,
    "scim:resource-type": Row(401, 401, 401, 401, kwargs=("name=scim_resource_type",)),
    "scim:schemas": TOKEN_ONLY,
    "scim:schema": Row(401, 401, 401, 401, kwargs=("schema_id=scim_schema",)),
    "scim:search": TOKEN_ONLY_POST,
    "scim:users": Row(401, 401, 401, 401, also=("post",)),
    "scim:users-search": TOKEN_ONLY_POST,
    "scim:user": Row(401, 401, 401, 401, kwargs=("pk=person_id",), also=("put", "patch", "delete")),
    "scim:groups": Row(401, 401, 401, 401, also=("post",)),
    "scim:groups-search": TOKEN_ONLY_POST,
    "scim:group": Row(
        401, 401, 401, 401, kwargs=("pk=scim_group",), also=("put", "patch", "delete")
    ),
    "scim:not-found": Row(
        401, 401, 401, 401, kwargs=("rest=scim_rest",), also=("put", "patch", "delete", "post")
    ),
}


def objects(people: dict) -> dict:
    return {
        "scim_resource_type": "User",
        "scim_schema": "urn:ietf:params:scim:schemas:core:2.0:User",
        "scim_group": people["employee"].department_id or 1,
        "scim_rest": "Nothing/here",
    }
