"""The OpenAPI 3.1 document, generated from the app's routes, their views and the schemas."""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Iterator
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import get_fields, resolve_schema_cls
from apispec.ext.marshmallow.openapi import OpenAPIConverter
from flask import Flask
from marshmallow import Schema, fields

from moderation.openapi.operation import SITE, Operation, described
from moderation.openapi.problems import problem_response, shared_responses
from moderation.openapi.text import prose, summary_and_description, with_defaults
from moderation.openapi.webhooks import webhooks
from moderation.schemas.base import COMPONENTS, component_name, is_answer, schema_classes
from moderation.schemas.service import ProblemOut
from moderation.schemas.text import NO_NUL, Text
from moderation.settings import Settings

Json = dict[str, Any]

INFO: Json = {
    "summary": "Sites post readers' comments; workers moderate them; sites read decisions; "
    "moderators review.",
    "license": {"name": "MIT", "identifier": "MIT"},
}
SECURITY_SCHEMES: Json = {
    "siteKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "The site's API key (`msk_…`), from `moderation sites create`.",
    },
    "moderatorToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "A moderator's token (`mmt_…`), for the review API. A moderator sees "
        "only the sites they moderate (an admin sees all).",
    },
}
_IMPLICIT = {"HEAD", "OPTIONS"}
_ARGUMENT = re.compile(r"<(?:[^<>:]+:)?([^<>:]+)>")


class _Converter(OpenAPIConverter):
    """apispec's converter, reading what our schemas say beyond their fields."""

    def init_attribute_functions(self) -> None:
        """apispec's attribute functions, and the one that says what Text refuses."""
        super().init_attribute_functions()  # type: ignore[no-untyped-call]
        self.add_attribute_function(_text_without_nul)  # type: ignore[no-untyped-call]

    def schema2jsonschema(self, schema: Any) -> Json:
        """The JSON Schema of a marshmallow schema, described by its class's docstring.

        An answer (…Out) stays open to new members, and lists every member as present but
        those marked OPTIONAL; a schema's `Meta.json_schema` has the last word.
        """
        json_schema: Json = super().schema2jsonschema(schema)  # type: ignore[no-untyped-call]
        cls: type[Schema] = resolve_schema_cls(schema)  # type: ignore[assignment]
        if cls.__doc__ and "description" not in json_schema:
            json_schema["description"] = prose(cls.__doc__)
        if is_answer(cls):
            json_schema.pop("additionalProperties", None)
            json_schema["required"] = [
                f.data_key or name
                for name, f in get_fields(schema).items()
                if not f.metadata.get("optional")
            ]
        json_schema.update(getattr(getattr(cls, "Meta", None), "json_schema", {}))
        if not json_schema.get("required", True):
            del json_schema["required"]
        return json_schema


def _text_without_nul(self: _Converter, field: fields.Field[Any], ret: Json, **_: Any) -> Json:
    # A NUL is refused wherever text enters (422 in a body, 400 in the URL): PostgreSQL cannot
    # store it. A field with a pattern of its own spells the same in it (TEXT_SHAPE).
    if isinstance(field, Text) and "pattern" not in ret:
        return {"pattern": NO_NUL}
    return {}


class _Plugin(MarshmallowPlugin):
    Converter = _Converter


def openapi_path(rule: str) -> str:
    """Flask's `/a/<x>` and `/a/<path:x>` as OpenAPI's `/a/{x}`."""
    return _ARGUMENT.sub(r"{\1}", rule)


def _instance(cls: type[Schema], settings: Settings) -> Schema:
    # Schemas that take limits (max_text_chars, batch_max) take them as the settings name them.
    names = inspect.signature(cls.__init__).parameters
    options = {name: getattr(settings, name) for name in names if hasattr(settings, name)}
    return cls(**options)


def _operation(
    op: Operation, view: Any, arguments: list[str], settings: Settings, converter: OpenAPIConverter
) -> Json:
    summary, description = summary_and_description(view.__doc__)
    parameters: list[Json] = []
    for name in arguments:
        field = op.path.get(name) or Text()
        parameters.append(_parameter(converter, name, "path", field, required=True))
    for name, field in op.headers.items():
        parameters.append(_parameter(converter, name, "header", field, required=False))
    if op.query is not None:
        parameters.append({"in": "query", "schema": op.query})
    responses: Json = {}
    for status, answer in sorted(op.answers.items()):
        response: Json = {"description": answer.description}
        if answer.schema is not None:
            response["content"] = {"application/json": {"schema": answer.schema}}
        if answer.headers:
            response["headers"] = {
                name: {"description": text, "schema": {"type": "string"}}
                for name, text in answer.headers.items()
            }
        responses[str(status)] = response
    # A NUL in the URL is a 400 wherever the URL carries values (app._refuse_nul_in_url).
    in_url = (400,) if arguments or op.query is not None else ()
    for status in sorted({*op.errors, *in_url}):
        responses[str(status)] = {"$ref": f"#/components/responses/{status}"}
    for status, problem in op.problems.items():
        responses[str(status)] = problem_response(problem)
    built: Json = {
        "operationId": op.operation_id,
        "summary": summary,
        "tags": [view.__module__.rsplit(".", 1)[-1]],
        "parameters": parameters,
        "responses": dict(sorted(responses.items())),
    }
    if description:
        built["description"] = description
    if op.security != SITE:
        built["security"] = op.security
    if op.body is not None:
        schema = _instance(op.body, settings)
        built["requestBody"] = {
            "required": op.body_required,
            "content": {"application/json": {"schema": schema}},
        }
    return built


def _parameter(
    converter: OpenAPIConverter, name: str, where: str, field: fields.Field[Any], *, required: bool
) -> Json:
    schema: Json = converter.field2property(field)
    parameter: Json = {"name": name, "in": where, "required": required, "schema": schema}
    if "description" in schema:
        parameter["description"] = schema.pop("description")
    return parameter


def _tags(app: Flask, used: set[str]) -> list[Json]:
    # A tag per blueprint module, described by the module's docstring.
    found = {}
    for view in app.view_functions.values():
        module = sys.modules[view.__module__]
        name = view.__module__.rsplit(".", 1)[-1]
        if name in used:
            found[name] = {"name": name, "description": prose(module.__doc__)}
    return sorted(found.values(), key=lambda tag: tag["name"])


def _schema_classes() -> dict[str, type[Schema]]:
    # Every named schema, for references the plugin did not follow (unions in metadata).
    named = ((component_name(cls), cls) for cls in schema_classes())
    return {name: cls for name, cls in named if name is not None}


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(COMPONENTS):
            yield ref.removeprefix(COMPONENTS)
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def build(app: Flask, settings: Settings) -> Json:
    """The document for this app: every route with an Operation, and the webhooks it sends."""
    plugin = _Plugin(schema_name_resolver=component_name)  # type: ignore[arg-type]
    spec = APISpec(
        title="Comment moderation",
        version="1",
        openapi_version="3.1.0",
        plugins=[plugin],
        info=INFO,
        security=SITE,
    )
    spec.components.schema("Problem", schema=ProblemOut)
    for status, response in shared_responses().items():
        spec.components.response(status, response)
    for name, scheme in SECURITY_SCHEMES.items():
        spec.components.security_scheme(name, scheme)
    converter, resolver = plugin.converter, plugin.resolver
    if converter is None or resolver is None:  # pragma: no cover - APISpec inits its plugins
        raise RuntimeError("apispec did not initialise the marshmallow plugin")
    used: set[str] = set()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        op = described(view)
        if op is None:
            continue
        methods = sorted((rule.methods or set()) - _IMPLICIT)
        arguments = _ARGUMENT.findall(rule.rule)
        operations = {
            m.lower(): _operation(op, view, arguments, settings, converter) for m in methods
        }
        used.update(tag for o in operations.values() for tag in o["tags"])
        spec.path(path=openapi_path(rule.rule), operations=operations)
    hooks = webhooks()
    for item in hooks.values():
        resolver.resolve_operations(item)  # type: ignore[no-untyped-call]
    classes = _schema_classes()
    while missing := {
        n for n in _refs([spec.to_dict(), hooks]) if n not in spec.components.schemas
    }:
        for name in sorted(missing):
            spec.components.schema(name, schema=classes[name])
    for tag in _tags(app, used):
        spec.tag(tag)
    document: Json = spec.to_dict()
    document["webhooks"] = hooks
    return with_defaults(document)  # type: ignore[no-any-return]
