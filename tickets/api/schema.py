"""The OpenAPI schema (drf-spectacular) says what the API really answers.

Every operation documents the errors it can return, derived from the view, so
a new endpoint gets them without listing them by hand:

- 400 always (a NUL in a query parameter, an invalid filter or body);
- 401 always (no or a bad token); 429 always (the throttles, with Retry-After);
- 403 for a write or a desk-only view (the role or the CSRF check refuses);
- 404 for an id in the path (another college's ticket is a 404 too) and for
  a list with a cursor (a cursor that cannot be read);
- 413 and 415 for a JSON body (over 64 KB; not application/json);
- 409 where the view declares it (a stale version, a forbidden transition).

A response the view declares with a body keeps it; one declared without a body
(`400: None`) gets the error's.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import SAFE_METHODS

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "Each field that was refused, with its messages (nested for `contact`); "
    "`detail` for a refusal of the request as a whole (unreadable or too deeply nested JSON).",
    "additionalProperties": {},
}

EMPTY = {"type": "string", "maxLength": 0, "description": "empty: no filter"}

DESCRIPTIONS = {
    "400": "Invalid request: a field, a filter, a body that is not JSON, or a NUL character.",
    "401": "No token, or a token that is not valid.",
    "403": "The caller's role may not do this (or a session caller's CSRF token is missing).",
    "404": "No such object, or not one the caller may see; an unreadable cursor.",
    "409": "The ticket changed since the caller read it, or the lifecycle forbids this move.",
    "413": "The request body is over 64 KB.",
    "415": "The request body is not application/json.",
    "429": "Too many requests; try again after Retry-After seconds.",
}


class AutoSchema(SpectacularAutoSchema):
    def _error_codes(self) -> list[str]:
        from tickets.api.views import IsDesk, LimitedJSONParser

        codes = ["400", "401", "429"]
        permissions = getattr(self.view, "permission_classes", [])
        if self.method not in SAFE_METHODS or any(
            isinstance(p, type) and issubclass(p, IsDesk) for p in permissions
        ):
            codes.append("403")
        paginator = getattr(self.view, "pagination_class", None)
        if "{" in self.path or (
            self.method == "GET" and paginator and issubclass(paginator, CursorPagination)
        ):
            codes.append("404")
        if self.method in ("POST", "PUT", "PATCH"):
            parsers = getattr(self.view, "parser_classes", [])
            if any(issubclass(p, LimitedJSONParser) for p in parsers):
                codes.append("413")
            codes.append("415")
        return codes

    def _error_schema(self, code: str) -> dict:
        name, schema = ("ValidationError", VALIDATION_ERROR) if code == "400" else ("Error", ERROR)
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _get_filter_parameters(self):
        # The list's filters are the page's too, whose form sends every field:
        # an empty value is no filter, whatever the parameter's type.
        parameters = super()._get_filter_parameters()
        for parameter in parameters:
            parameter["schema"] = {"anyOf": [parameter["schema"], EMPTY]}
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        declared_errors = [c for c in responses if c >= "400"]
        for code in sorted({*self._error_codes(), *declared_errors}):
            response = responses.get(code)
            if response is None or "content" not in response:
                response = {
                    **(response or {}),
                    "description": DESCRIPTIONS.get(code, ""),
                    "content": {"application/json": {"schema": self._error_schema(code)}},
                }
            if code == "429":
                response.setdefault("headers", {})["Retry-After"] = {
                    "schema": {"type": "integer"},
                    "description": "Seconds to wait before the next request.",
                }
            responses[code] = response
        return dict(sorted(responses.items()))
