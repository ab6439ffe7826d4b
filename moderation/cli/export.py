"""`moderation export …`: a site's moderators' verdicts as JSON lines, to train a site model."""

from __future__ import annotations

import json

import click

from moderation.cli.common import load_settings, open_database
from moderation.store.models import CommentStatus


@click.group()
def export() -> None:
    """Data out of the durable record."""


@export.command()
@click.option("--site", "site_name", required=True, help="The site's name (or id).")
def decisions(site_name: str) -> None:
    """One JSON line per comment of SITE a moderator approved or rejected, oldest first.

    Each line is {"id", "body", "status", "reason"}: the reason code of a rejection, or null.
    `moderation model train --decisions FILE` reads them.
    """
    from moderation.store.comments import verdicts
    from moderation.store.sites import UnknownSite, find_site

    with open_database(load_settings()).session() as session:
        try:
            site = find_site(session, site_name)
        except UnknownSite:
            raise click.ClickException(f"no site named {site_name!r}") from None
        rows = verdicts(session, site.id)
        for row in rows:
            line = {"id": row.id, "body": row.body, "status": row.status, "reason": None}
            if row.status == CommentStatus.REJECTED:
                line["reason"] = row.review_reason
            click.echo(json.dumps(line, ensure_ascii=False))
