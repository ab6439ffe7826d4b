"""`moderation secrets …`: webhook signing secrets sealed at rest, and their keys rotated."""

from __future__ import annotations

import click

from moderation.cli.common import load_settings, open_database


@click.group()
def secrets() -> None:
    """Webhook signing secrets at rest (MODERATION_SECRET_KEY)."""


@secrets.command("new-key")
def new_key() -> None:
    """Print a new Fernet key, to put first in MODERATION_SECRET_KEY."""
    from cryptography.fernet import Fernet

    click.echo(Fernet.generate_key().decode())


@secrets.command("rotate")
def rotate() -> None:
    """Seal every stored secret again with the first key (and seal any stored in clear).

    Put the new key first in MODERATION_SECRET_KEY and keep the old ones after it until this
    has run; then the old ones may go.
    """
    from sqlalchemy import select

    from moderation.secretbox import SecretKeyError, box
    from moderation.store.webhooks import WebhookEndpoint

    settings = load_settings()
    sealer = box(settings.secret_key)
    if not sealer.sealing:
        raise click.ClickException("MODERATION_SECRET_KEY is not set: nothing to seal with")
    count = 0
    try:
        with open_database(settings).session() as session:
            for endpoint in session.scalars(select(WebhookEndpoint).with_for_update()):
                endpoint.secret = sealer.reseal(endpoint.secret)
                if endpoint.previous_secret is not None:
                    endpoint.previous_secret = sealer.reseal(endpoint.previous_secret)
                count += 1
    except SecretKeyError as error:
        raise click.ClickException(f"{error}; nothing was changed") from None
    click.echo(f"sealed the secrets of {count} endpoint(s) with the first key")
