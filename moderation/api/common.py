"""Helpers every blueprint uses: the services, the request's JSON body, the calling site."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from flask import current_app, g, request
from marshmallow import Schema

from moderation.errors import BadRequest, Forbidden, Unauthorized, ValidationFailed
from moderation.keycache import KeyCache
from moderation.services import Services
from moderation.store.models import Moderator, Site
from moderation.store.moderators import TOKEN_PREFIX, moderator_for_token, site_ids_of
from moderation.store.sites import site_for_key

_S = TypeVar("_S", bound=Schema)


def services() -> Services:
    """The process's services, built by create_app."""
    built: Services = current_app.extensions["moderation"]
    return built


def nul_errors(value: Any) -> Any:
    """Where a JSON value holds the NUL character, as marshmallow shapes errors; None if nowhere."""
    if isinstance(value, str):
        return ["Holds the NUL character (U+0000)."] if "\x00" in value else None
    if isinstance(value, dict):
        pairs: Any = value.items()
    elif isinstance(value, list):
        pairs = enumerate(value)
    else:
        return None
    errors: dict[Any, Any] = {}
    for key, item in pairs:
        if isinstance(key, str) and "\x00" in key:
            errors[key] = ["The field name holds the NUL character (U+0000)."]
        elif (found := nul_errors(item)) is not None:
            errors[key] = found
    return errors or None


#: How deeply a request's JSON may nest: a batch of comments needs four levels.
MAX_JSON_DEPTH = 32


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # One reader (a proxy, a log, another parser) may keep the first of two equal keys and we
    # the last: each would see another comment, so the body is refused.
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise BadRequest(f"The JSON repeats the key {json.dumps(key)} in one object.")
            seen.add(key)
    return found


def _depth(value: Any) -> int:
    """How many arrays and objects deep a JSON value nests (a scalar: 0)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def parse_json(raw: bytes) -> Any:
    """A request body as JSON, strictly; 400 problem if it is anything less.

    Not JSON, a key repeated in one object, or nesting deeper than MAX_JSON_DEPTH are refused.
    """
    too_deep = BadRequest(f"The JSON nests deeper than {MAX_JSON_DEPTH} arrays and objects.")
    try:
        value = json.loads(raw, object_pairs_hook=_object)
    except RecursionError:
        raise too_deep from None
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest(f"The body is not valid JSON: {error}.") from None
    # Each bracket is at least one such byte in UTF-8, -16 and -32, so bodies with few of
    # them (nearly all) cannot nest too deep and skip the walk.
    if raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH and _depth(value) > MAX_JSON_DEPTH:
        raise too_deep
    return value


def refuse_nul(value: Any) -> None:
    """Refuse a JSON value holding the NUL character (422 naming where): PostgreSQL cannot
    store it, and no comment needs it."""
    if (errors := nul_errors(value)) is not None:
        raise ValidationFailed(
            "Text cannot hold the NUL character (U+0000).",
            errors=errors if isinstance(errors, dict) else {"_schema": errors},
        )


def json_body(*, empty: Any = None, items_checked: bool = False) -> Any:
    """The request body parsed as JSON by parse_json, refused if it holds NUL (refuse_nul).

    `empty` is what an empty body means, for endpoints whose every field is optional.
    `items_checked`: a batch refuses NUL item by item, each in its own result, so the body as
    a whole is not walked.
    """
    mimetype = request.mimetype
    if mimetype and mimetype != "application/json" and not mimetype.endswith("+json"):
        raise BadRequest(f"Send JSON with Content-Type: application/json, not {mimetype}.")
    raw = request.get_data(cache=True)
    if not raw and empty is not None:
        return empty
    value = parse_json(raw)
    # UTF-8 JSON can only carry NUL escaped, so such bodies without the escape skip the walk
    # (UTF-16 and UTF-32 bodies hold zero bytes, and take it).
    if not items_checked and (b"\\u0000" in raw or b"\x00" in raw):
        refuse_nul(value)
    return value


def bearer_token() -> str:
    """The token of an `Authorization: Bearer` header; 401 problem without one."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send the site's API key as `Authorization: Bearer <key>`.")
    return token.strip()


def current_site() -> Site:
    """The site whose key authenticated this request; 401 problem for a missing or wrong key."""
    site: Site | None = g.get("site")
    if site is None:
        token = bearer_token()
        if token.startswith(TOKEN_PREFIX):
            raise Forbidden("Moderator tokens cannot use site endpoints; use the site's API key.")
        cache: KeyCache = current_app.extensions["moderation.keys"]
        site = cache.get(token)
        if site is None:
            with services().db.session() as session:
                site = site_for_key(session, token)
            if site is None:
                raise Unauthorized("The API key is unknown or revoked.")
            cache.put(token, site)
        g.site = site
    return site


@dataclass(frozen=True)
class ModeratorScope:
    """The authenticated moderator and the sites they may review (None: all, an admin)."""

    moderator: Moderator
    site_ids: frozenset[str] | None


def current_moderator() -> ModeratorScope:
    """The moderator whose token authenticated this request; 401, or 403 for a site key."""
    scope: ModeratorScope | None = g.get("moderator")
    if scope is None:
        token = bearer_token()
        if not token.startswith(TOKEN_PREFIX):
            raise Forbidden("Site API keys cannot use review endpoints; use a moderator token.")
        with services().db.session() as session:
            moderator = moderator_for_token(session, token)
            if moderator is None:
                raise Unauthorized("The moderator token is unknown or disabled.")
            scope = ModeratorScope(moderator, site_ids_of(session, moderator))
        g.moderator = scope
    return scope


def is_moderator_request() -> bool:
    """Whether the bearer token is a moderator's (for endpoints both may call)."""
    return bearer_token().startswith(TOKEN_PREFIX)


#: Schema instances by class and options; they hold no request state, so sharing them is safe.
_schemas: dict[tuple[type[Schema], tuple[tuple[str, Any], ...]], Schema] = {}


def schema(cls: type[_S], **options: Any) -> _S:
    """One shared instance per schema and options: building a schema costs more than a load."""
    key = (cls, tuple(sorted(options.items())))
    found = _schemas.get(key)
    if found is None:
        found = _schemas[key] = cls(**options)
    return cast(_S, found)
