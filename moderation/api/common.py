"""Helpers every blueprint uses: the services, the request's JSON body, the calling site."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app, g, request

from moderation.errors import BadRequest, Unauthorized
from moderation.services import Services
from moderation.store.models import Site
from moderation.store.sites import site_for_key


def services() -> Services:
    """The process's services, built by create_app."""
    built: Services = current_app.extensions["moderation"]
    return built


def json_body() -> Any:
    """The request body parsed as JSON; 400 problem if it is not JSON."""
    mimetype = request.mimetype
    if mimetype and mimetype != "application/json" and not mimetype.endswith("+json"):
        raise BadRequest(f"Send JSON with Content-Type: application/json, not {mimetype}.")
    raw = request.get_data(cache=True)
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest(f"The body is not valid JSON: {error}.") from None


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
        with services().db.session() as session:
            site = site_for_key(session, token)
        if site is None:
            raise Unauthorized("The API key is unknown or revoked.")
        g.site = site
    return site
