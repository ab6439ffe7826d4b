"""`moderation export …`: a site's moderators' verdicts as JSON lines, to train a site model."""

from __future__ import annotations

import json

import click

from moderation.cli.common import load_settings, open_database

#: Comment statuses that are a moderator's verdict (the comment row's, set by the review API).
VERDICTS = ("approved", "rejected")


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
    from sqlalchemy import select

    from moderation.store.models import Comment
    from moderation.store.sites import UnknownSite, find_site

    with open_database(load_settings()).session() as session:
        try:
            site = find_site(session, site_name)
        except UnknownSite:
            raise click.ClickException(f"no site named {site_name!r}") from None
        rows = session.execute(
            select(Comment.id, Comment.body, Comment.status, Comment.review_reason)
            .where(
                Comment.site_id == site.id,
                Comment.reviewed_by.is_not(None),
                Comment.status.in_(VERDICTS),
            )
            .order_by(Comment.received_at, Comment.id)
            .execution_options(yield_per=1000)
        )
        for row in rows:
            line = {"id": row.id, "body": row.body, "status": row.status, "reason": None}
            if row.status == "rejected":
                line["reason"] = row.review_reason
            click.echo(json.dumps(line, ensure_ascii=False))
