"""`moderation model`: rebuild the toxicity model from the labelled data (the `train` extra)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import click

from moderation.engine.loader import BUILTIN_MODEL_PATH

# The labelled sets sit beside the checkout (../shared/data), as the model card says.
DEFAULT_DATA = BUILTIN_MODEL_PATH.parents[4] / "shared" / "data"


@click.group()
def model() -> None:
    """The toxicity model: rebuild it from labelled data."""


@model.command()
@click.option(
    "--data",
    "data_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=DEFAULT_DATA,
    show_default=True,
    help="Folder of the labelled sets (see the model card).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Where to write the model file. Default: {BUILTIN_MODEL_PATH} "
    "(required with --decisions, e.g. config/models/<site>.bin).",
)
@click.option(
    "--decisions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="JSON lines from `moderation export decisions`: train a site's model on them too.",
)
@click.option(
    "--site-weight",
    type=click.FloatRange(min=0, min_open=True),
    default=4.0,
    show_default=True,
    help="How many times each of the site's rows counts.",
)
def train(data_dir: Path, out: Path | None, decisions: Path | None, site_weight: float) -> None:
    """Train the model from the sets' training rows; the same data rebuilds the same bytes.

    With --decisions, the site's moderators' verdicts are trained on as well, but for a fifth
    held back, on which the shipped model and the new one are compared.
    """
    try:
        from moderation.training import site
        from moderation.training.fit import Options
        from moderation.training.train import data_digest, examples, suggest_bands
        from moderation.training.train import train as run_training
    except ImportError as error:
        raise click.ClickException(
            f"training needs the train extra (pip install -e '.[train]'): {error}"
        ) from None
    if decisions is None:
        rows = examples(data_dir)
        run = run_training(rows, Options(), {"data": data_digest(data_dir)}, log=click.echo)
        _write(out or BUILTIN_MODEL_PATH, run.data)
        # Calibration moves with every retraining: the bands in rules.toml should follow it.
        click.echo("bands where 0.5% / 0.05% of held-back clean rows reach hold / reject:")
        for attribute, (hold, reject) in suggest_bands(run).items():
            click.echo(f"  {attribute}: hold {hold}, reject {reject}")
        return
    if out is None:
        raise click.UsageError("--decisions needs --out (e.g. config/models/<site>.bin)")
    from moderation.cli.common import load_settings
    from moderation.engine.loader import ConfigError, load
    from moderation.engine.model import ToxicityModel

    data = decisions.read_bytes()
    try:
        bands = site.hold_bands(load(load_settings().config_dir))
        trained, held = site.split(site.read_decisions(data.decode("utf-8").splitlines()))
    except (ConfigError, site.DecisionsError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{decisions}: {error}") from None
    click.echo(f"site rows: {len(trained)} to train on, {len(held)} held back")
    meta = {
        "data": data_digest(data_dir),
        "decisions": {decisions.name: hashlib.sha256(data).hexdigest()},
        "site_weight": site_weight,
    }
    run = run_training(
        examples(data_dir) + trained, site.options(site_weight), meta, log=click.echo
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    _write(out, run.data)
    before = ToxicityModel(BUILTIN_MODEL_PATH.read_bytes())
    for line in site.describe(site.compare(before, ToxicityModel(run.data), held, bands)):
        click.echo(line)


def _write(out: Path, data: bytes) -> None:
    out.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    click.echo(f"wrote {out} ({len(data):,} bytes, sha256 {digest})")
