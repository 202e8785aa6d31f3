"""SCIM 2.0 endpoints. Every request needs a live bearer token: a session cookie gives no
access, and CSRF does not apply (no cookie is read). Errors are SCIM Error messages."""

import json
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError
from scim2_models import (
    Context,
    Error,
    Group,
    InvalidSyntaxException,
    ListResponse,
    NotFoundException,
    PatchOp,
    ResourceType,
    Schema,
    SCIMException,
    SearchRequest,
    UnauthorizedException,
)

from allyship.scim import resources, selectors, services
from allyship.scim.models import ScimToken, token_digest
from allyship.scim.resources import MAX_RESULTS, POLICY, ScimPerson

CONTENT_TYPE = "application/scim+json"


def _json(payload: dict, status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(json.dumps(payload), status=status, content_type=CONTENT_TYPE)
    for name, value in headers.items():
        response[name] = value
    return response


def _error(exception: SCIMException) -> HttpResponse:
    error = exception.to_error()
    headers = {"WWW-Authenticate": 'Bearer realm="scim"'} if error.status == 401 else {}
    return _json(error.model_dump(), status=error.status or 400, **headers)


def _token(request: HttpRequest) -> ScimToken:
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise UnauthorizedException(detail="Send a bearer token in the Authorization header.")
    token = ScimToken.objects.live().filter(digest=token_digest(raw.strip())).first()
    if token is None:
        raise UnauthorizedException(detail="This token is unknown or has been revoked.")
    ScimToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def scim_endpoint(*methods: str) -> Callable:
    """Answer only `methods` (405 otherwise), with a live token (401 otherwise), turning
    protocol errors and malformed payloads into SCIM errors."""

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in methods:
                response = _json(
                    Error(status=405, detail=f"{request.method} is not served here.").model_dump(),
                    status=405,
                )
                response["Allow"] = ", ".join(methods)
                return response
            try:
                request.scim_token = _token(request)
                with POLICY:
                    return view(request, *args, **kwargs)
            except SCIMException as exception:
                return _error(exception)
            except ValidationError as error:
                return _json(Error.from_validation_error(error.errors()[0]).model_dump(), 400)

        return wrapped

    return decorate


def _body(request: HttpRequest) -> dict:
    try:
        payload = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise InvalidSyntaxException(detail="The request body is not JSON.") from None
    if not isinstance(payload, dict):
        raise InvalidSyntaxException(detail="The request body must be a JSON object.")
    return payload


def _search(request: HttpRequest) -> SearchRequest:
    if request.method == "POST":
        return SearchRequest.model_validate(_body(request), scim_ctx=Context.SEARCH_REQUEST)
    params = {key: request.GET[key] for key in request.GET}
    return SearchRequest.model_validate(params, scim_ctx=Context.SEARCH_REQUEST)


def _list(request: HttpRequest, search: SearchRequest, queryset, to_resource) -> HttpResponse:
    start = max(search.start_index or 1, 1)
    count = MAX_RESULTS if search.count is None else min(max(search.count, 0), MAX_RESULTS)
    total = len(queryset) if isinstance(queryset, list) else queryset.count()
    page = list(queryset[start - 1 : start - 1 + count]) if count else []
    listing = ListResponse[ScimPerson | Group](
        total_results=total,
        start_index=start,
        items_per_page=len(page),
        resources=[to_resource(item) for item in page],
    )
    return _json(listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=search))


def _one(resource, request: HttpRequest, context: Context, status: int = 200) -> HttpResponse:
    params = {key: request.GET[key] for key in request.GET}
    search = SearchRequest.model_validate(
        {
            key: value
            for key, value in params.items()
            if key in {"attributes", "excludedAttributes"}
        },
        scim_ctx=Context.SEARCH_REQUEST,
    )
    return _json(
        resource.model_dump(scim_ctx=context, response_parameters=search),
        status=status,
        Location=resource.meta.location,
    )


def _person(request: HttpRequest, person) -> ScimPerson:
    return resources.person_resource(request, person)


def _group(request: HttpRequest, department) -> Group:
    return resources.department_resource(request, department, list(department.members.all()))


def _manager_value(request: HttpRequest, value):
    """Entra ID sends the enterprise manager as a bare id, or as an object without $ref: the
    schema wants {"value", "$ref"}, and the id is all we need."""
    if isinstance(value, str | int):
        value = {"value": str(value)}
    if isinstance(value, dict) and value.get("value") and "$ref" not in value:
        value = {**value, "$ref": resources.absolute(request, "user", str(value["value"]))}
    return value


def _entra_user(request: HttpRequest, payload: dict) -> dict:
    enterprise = payload.get(resources.ENTERPRISE_URN)
    if isinstance(enterprise, dict) and enterprise.get("manager") is not None:
        enterprise["manager"] = _manager_value(request, enterprise["manager"])
    return payload


def _entra_patch(request: HttpRequest, payload: dict) -> dict:
    for operation in payload.get("Operations") or []:
        if not isinstance(operation, dict):
            continue
        path = str(operation.get("path") or "")
        value = operation.get("value")
        if path.lower().endswith("manager") and value is not None:
            operation["value"] = _manager_value(request, value)
        elif path.lower() == resources.ENTERPRISE_URN.lower() and isinstance(value, dict):
            _entra_user(request, {resources.ENTERPRISE_URN: value})
        elif not path and isinstance(value, dict):
            _entra_user(request, value)
    return payload


# ---- Users ----


@scim_endpoint("GET", "POST")
def users(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        resource = ScimPerson.model_validate(
            _entra_user(request, _body(request)), scim_ctx=Context.RESOURCE_CREATION_REQUEST
        )
        person = services.scim_user_create(resource=resource, token=request.scim_token)
        person = selectors.scim_person(str(person.pk))
        return _one(_person(request, person), request, Context.RESOURCE_CREATION_RESPONSE, 201)
    search = _search(request)
    people = selectors.scim_people(str(search.filter) if search.filter else None)
    return _list(request, search, people, lambda person: _person(request, person))


@scim_endpoint("POST")
def users_search(request: HttpRequest) -> HttpResponse:
    search = _search(request)
    people = selectors.scim_people(str(search.filter) if search.filter else None)
    return _list(request, search, people, lambda person: _person(request, person))


@scim_endpoint("POST")
def search(request: HttpRequest) -> HttpResponse:
    """A search across Users and Groups (RFC 7644 §3.4.3): people first, then departments."""
    query = _search(request)
    text = str(query.filter) if query.filter else None
    people = [_person(request, person) for person in selectors.scim_people(text)[:MAX_RESULTS]]
    departments = [
        _group(request, department) for department in selectors.scim_departments(text)[:MAX_RESULTS]
    ]
    return _list(request, query, people + departments, lambda resource: resource)


@scim_endpoint("GET", "PUT", "PATCH", "DELETE")
def user(request: HttpRequest, pk: str) -> HttpResponse:
    person = selectors.scim_person(pk)
    token = request.scim_token
    if request.method == "DELETE":
        services.scim_user_delete(person=person, token=token)
        return HttpResponse(status=204)
    if request.method == "GET":
        return _one(_person(request, person), request, Context.RESOURCE_QUERY_RESPONSE)
    if request.method == "PUT":
        resource = ScimPerson.model_validate(
            _entra_user(request, _body(request)), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST
        )
        context = Context.RESOURCE_REPLACEMENT_RESPONSE
    else:
        patch = PatchOp[ScimPerson].model_validate(
            _entra_patch(request, _body(request)), scim_ctx=Context.RESOURCE_PATCH_REQUEST
        )
        resource = _person(request, person)
        patch.patch(resource)
        context = Context.RESOURCE_PATCH_RESPONSE
    services.scim_user_update(person=person, resource=resource, token=token)
    return _one(_person(request, selectors.scim_person(pk)), request, context)


# ---- Groups ----


@scim_endpoint("GET", "POST")
def groups(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        resource = Group.model_validate(_body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
        department = services.scim_group_create(resource=resource, token=request.scim_token)
        department = selectors.scim_department(str(department.pk))
        return _one(_group(request, department), request, Context.RESOURCE_CREATION_RESPONSE, 201)
    search = _search(request)
    departments = selectors.scim_departments(str(search.filter) if search.filter else None)
    return _list(request, search, departments, lambda department: _group(request, department))


@scim_endpoint("POST")
def groups_search(request: HttpRequest) -> HttpResponse:
    search = _search(request)
    departments = selectors.scim_departments(str(search.filter) if search.filter else None)
    return _list(request, search, departments, lambda department: _group(request, department))


@scim_endpoint("GET", "PUT", "PATCH", "DELETE")
def group(request: HttpRequest, pk: str) -> HttpResponse:
    department = selectors.scim_department(pk)
    token = request.scim_token
    if request.method == "DELETE":
        services.scim_group_delete(department=department, token=token)
        return HttpResponse(status=204)
    if request.method == "GET":
        return _one(_group(request, department), request, Context.RESOURCE_QUERY_RESPONSE)
    if request.method == "PUT":
        resource = Group.model_validate(
            _body(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST
        )
        context = Context.RESOURCE_REPLACEMENT_RESPONSE
    else:
        patch = PatchOp[Group].model_validate(
            _body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST
        )
        resource = _group(request, department)
        patch.patch(resource)
        context = Context.RESOURCE_PATCH_RESPONSE
    services.scim_group_update(department=department, resource=resource, token=token)
    return _one(_group(request, selectors.scim_department(pk)), request, context)


# ---- Discovery ----


@scim_endpoint("GET")
def service_provider_config(request: HttpRequest) -> HttpResponse:
    return _json(resources.service_provider_config(request).model_dump())


def _discovery_list(items: list) -> HttpResponse:
    listing = ListResponse[Schema | ResourceType](
        total_results=len(items), start_index=1, items_per_page=len(items), resources=items
    )
    return _json(listing.model_dump())


@scim_endpoint("GET")
def resource_types(request: HttpRequest) -> HttpResponse:
    return _discovery_list(resources.resource_types(request))


@scim_endpoint("GET")
def resource_type(request: HttpRequest, name: str) -> HttpResponse:
    for item in resources.resource_types(request):
        if item.id == name:
            return _json(item.model_dump())
    raise NotFoundException(detail=f"No resource type {name!r}.")


@scim_endpoint("GET")
def schemas(request: HttpRequest) -> HttpResponse:
    return _discovery_list(resources.schemas(request))


@scim_endpoint("GET")
def schema(request: HttpRequest, schema_id: str) -> HttpResponse:
    for item in resources.schemas(request):
        if item.id == schema_id:
            return _json(item.model_dump())
    raise NotFoundException(detail=f"No schema {schema_id!r}.")


@scim_endpoint("GET", "POST", "PUT", "PATCH", "DELETE")
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    raise NotFoundException(detail=f"Nothing is served at {request.path}.")
