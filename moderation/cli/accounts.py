"""`moderation sites …` and `moderation moderators …`: who may call the API, and how."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from moderation.cli.common import load_settings, open_database


@click.group()
def sites() -> None:
    """News sites and their API keys."""


def _print_key(issued: object, as_json: bool, what: str) -> None:
    from moderation.store.sites import SiteKey

    assert isinstance(issued, SiteKey)  # noqa: S101 - narrows the type
    if as_json:
        click.echo(
            json.dumps(
                {
                    "site": issued.site,
                    "site_id": issued.site_id,
                    "key_id": issued.key_id,
                    "api_key": issued.api_key,
                }
            )
        )
        return
    click.echo(f"{what} for site {issued.site} (key id {issued.key_id}):\n\n    {issued.api_key}\n")
    click.echo("It is shown only now; the service keeps only its hash.", err=True)


@sites.command("create")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print {site, api_key} as JSON.")
def sites_create(name: str, as_json: bool) -> None:
    """Register a site and print its first API key, once."""
    from moderation.store.sites import SiteExists, create_site

    settings = load_settings()
    database = open_database(settings)
    database.upgrade()
    try:
        with database.session() as session:
            issued = create_site(session, name)
    except SiteExists:
        raise click.ClickException(f"a site named {name!r} exists already") from None
    _print_key(issued, as_json, "API key")


@sites.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sites_list(as_json: bool) -> None:
    """List sites with their keys (hint, id, state)."""
    from moderation.store.sites import list_sites

    with open_database(load_settings()).session() as session:
        rows: list[dict[str, Any]] = [
            {
                "site": site.name,
                "site_id": site.id,
                "created_at": site.created_at.isoformat(),
                "keys": [
                    {
                        "key_id": k.id,
                        "hint": k.hint + "…",
                        "created_at": k.created_at.isoformat(),
                        "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
                    }
                    for k in keys
                ],
            }
            for site, keys in list_sites(session)
        ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo(f"{row['site']}  ({row['site_id']})")
        for key in row["keys"]:
            state = f"revoked {key['revoked_at']}" if key["revoked_at"] else "active"
            click.echo(f"    key {key['key_id']}  {key['hint']}  {state}")


@sites.command("rotate-key")
@click.argument("name")
@click.option("--revoke-old", is_flag=True, help="Revoke the site's other keys at once.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sites_rotate(name: str, revoke_old: bool, as_json: bool) -> None:
    """Issue a new key; old keys keep working until revoked (or --revoke-old)."""
    from moderation.store.sites import UnknownSite, rotate_key

    try:
        with open_database(load_settings()).session() as session:
            issued = rotate_key(session, name, revoke_others=revoke_old)
    except UnknownSite:
        raise click.ClickException(f"no site named {name!r}") from None
    _print_key(issued, as_json, "New API key")


@sites.command("revoke-key")
@click.argument("name")
@click.argument("key_id")
def sites_revoke(name: str, key_id: str) -> None:
    """Revoke one key of a site (see `moderation sites list` for key ids)."""
    from moderation.store.sites import UnknownSite, revoke_key

    try:
        with open_database(load_settings()).session() as session:
            revoke_key(session, name, key_id)
    except UnknownSite as error:
        raise click.ClickException(f"no such site or key: {error}") from None
    click.echo(f"revoked key {key_id} of {name}")


def _rate(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    from moderation.ratelimit import Rate

    if value is None or value == "default":
        return value
    try:
        return str(Rate.parse(value))
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _days(_ctx: click.Context, _param: click.Parameter, value: str | None) -> int | str | None:
    # None: not given; "forever": keep for ever (stored as NULL); else whole days, at least 1.
    if value is None or value == "forever":
        return value
    if not value.isdigit() or int(value) < 1:
        raise click.BadParameter(f"days (1 or more) or `forever`, not {value!r}")
    return int(value)


_KEEP = (
    ("keep_rejected", "keep_rejected_days", "Days rejected comments keep their bodies."),
    ("keep_deliveries", "keep_deliveries_days", "Days finished webhook deliveries are kept."),
    ("keep_report_text", "keep_report_text_days", "Days reports keep their text."),
)


@sites.command("configure")
@click.argument("name")
@click.option(
    "--report-threshold", type=click.IntRange(min=1), help="Reporters that flag a comment."
)
@click.option("--hide-on-report/--no-hide-on-report", default=None, help="Hold flagged comments.")
@click.option(
    "--rate",
    callback=_rate,
    help="Request budget of the site's keys: N/s, N/m or N/h; `default` for MODERATION_RATE_LIMIT.",
)
@click.option("--keep-rejected", callback=_days, help=_KEEP[0][2] + " DAYS or forever.")
@click.option("--keep-deliveries", callback=_days, help=_KEEP[1][2] + " DAYS or forever.")
@click.option("--keep-report-text", callback=_days, help=_KEEP[2][2] + " DAYS or forever.")
def sites_configure(
    name: str,
    report_threshold: int | None,
    hide_on_report: bool | None,
    rate: str | None,
    **keep: int | str | None,
) -> None:
    """Set a site's report policy, request budget and retention."""
    from moderation.store.sites import UnknownSite, find_site

    try:
        with open_database(load_settings()).session() as session:
            site = find_site(session, name)
            if report_threshold is not None:
                site.report_threshold = report_threshold
            if hide_on_report is not None:
                site.hide_on_report = hide_on_report
            if rate is not None:
                site.rate_limit = None if rate == "default" else rate
            for option, attribute, _ in _KEEP:
                if keep[option] is not None:
                    setattr(site, attribute, None if keep[option] == "forever" else keep[option])
            threshold, hide, budget = site.report_threshold, site.hide_on_report, site.rate_limit
            kept = ", ".join(
                f"{option.replace('_', ' ')} {getattr(site, attribute) or 'forever'}"
                for option, attribute, _ in _KEEP
            )
    except UnknownSite:
        raise click.ClickException(f"no site named {name!r}") from None
    click.echo(
        f"{name}: report threshold {threshold or 'default'}, hide on report {hide}, "
        f"rate {budget or 'default'}, {kept}"
    )


@click.group()
def moderators() -> None:
    """Moderator accounts and their tokens."""


@moderators.command("create")
@click.argument("name")
@click.option("--site", "sites_", multiple=True, help="A site they moderate (repeatable).")
@click.option("--admin", is_flag=True, help="Moderate every site.")
@click.option("--json", "as_json", is_flag=True, help="Print {moderator, token} as JSON.")
def moderators_create(name: str, sites_: tuple[str, ...], admin: bool, as_json: bool) -> None:
    """Create a moderator and print their API token, once."""
    from moderation.store.moderators import ModeratorExists, create_moderator
    from moderation.store.sites import UnknownSite

    database = open_database(load_settings())
    database.upgrade()
    try:
        with database.session() as session:
            issued = create_moderator(session, name, sites=sites_, is_admin=admin)
    except ModeratorExists:
        raise click.ClickException(f"a moderator named {name!r} exists already") from None
    except UnknownSite as error:
        raise click.ClickException(f"unknown site: {error}") from None
    if as_json:
        click.echo(
            json.dumps(
                {
                    "moderator": issued.name,
                    "moderator_id": issued.moderator_id,
                    "admin": issued.is_admin,
                    "sites": list(issued.sites),
                    "token": issued.token,
                }
            )
        )
        return
    scope = "all sites" if issued.is_admin else ", ".join(issued.sites)
    click.echo(f"Token for moderator {issued.name} ({scope}):\n\n    {issued.token}\n")
    click.echo("It is shown only now; the service keeps only its hash.", err=True)


@moderators.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def moderators_list(as_json: bool) -> None:
    """List moderators and their sites."""
    from moderation.store.moderators import list_moderators

    with open_database(load_settings()).session() as session:
        rows: list[dict[str, Any]] = [
            {
                "moderator": m.name,
                "admin": m.is_admin,
                "sites": sites_of,
                "disabled": m.disabled_at is not None,
            }
            for m, sites_of in list_moderators(session)
        ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        scope = "admin" if row["admin"] else ", ".join(row["sites"])
        click.echo(f"{row['moderator']}  {scope}{'  (disabled)' if row['disabled'] else ''}")


@moderators.command("disable")
@click.argument("name")
def moderators_disable(name: str) -> None:
    """Disable a moderator's token."""
    from moderation.store.console import end_all_sessions
    from moderation.store.moderators import disable_moderator

    with open_database(load_settings()).session() as session:
        found = disable_moderator(session, name)
        if found:  # the console checks on every request anyway; this drops the dead rows
            end_all_sessions(session, name)
    if not found:
        raise click.ClickException(f"no moderator named {name!r}")
    click.echo(f"disabled {name}")


@moderators.command("login-link")
@click.argument("name")
def moderators_login_link(name: str) -> None:
    """Print a console sign-in link for a moderator: it works once, within 15 minutes."""
    from datetime import UTC, datetime

    from moderation.store.console import UnknownModerator, issue_login_link

    settings = load_settings()
    try:
        with open_database(settings).session() as session:
            secret = issue_login_link(session, name, now=datetime.now(UTC))
    except UnknownModerator:
        raise click.ClickException(f"no active moderator named {name!r}") from None
    click.echo(f"{settings.public_url.rstrip('/')}/console/link/{secret}")
    click.echo("It signs in once, within 15 minutes; send it only to them.", err=True)


@moderators.command("set-password")
@click.argument("name")
def moderators_set_password(name: str) -> None:
    """Set a moderator's console password, read from stdin (at least 12 characters)."""
    from moderation.console.auth import hash_password
    from moderation.store.console import end_all_sessions, moderator_named

    password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < 12:
        raise click.ClickException("the password needs at least 12 characters")
    with open_database(load_settings()).session() as session:
        moderator = moderator_named(session, name)
        if moderator is None:
            raise click.ClickException(f"no active moderator named {name!r}")
        moderator.password_hash = hash_password(password)
        # A new password signs out the browsers the old one (or a leaked link) opened.
        end_all_sessions(session, name)
    click.echo(f"password set for {name}")
