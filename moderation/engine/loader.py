"""Read and validate the config directory; the only module of the engine that does I/O."""

from __future__ import annotations

import csv
import hashlib
import mmap
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from moderation.engine.model import ArtefactError, ToxicityModel
from moderation.engine.schema import (
    RULE_SCHEMAS,
    TERM_COLUMNS,
    RulesFileSchema,
    SiteSchema,
    TermRowSchema,
)

RULES_FILE = "rules.toml"
BUILTIN_MODEL = "builtin"
#: The toxicity model shipped in the package, named `builtin` in rules.toml.
BUILTIN_MODEL_PATH = Path(__file__).resolve().parent / "model" / "toxicity.bin"


class ConfigError(Exception):
    """The config is invalid; the message names the file, rule and key."""


@dataclass(frozen=True, slots=True)
class Config:
    """The validated contents of a config directory."""

    data: dict[str, Any]
    sites: dict[str, dict[str, Any]]
    terms: list[dict[str, str]]
    allowlist: list[str]
    version: str
    files: tuple[Path, ...]
    models: dict[str, ToxicityModel]


def _flatten(messages: Any, prefix: str = "") -> list[str]:
    if isinstance(messages, dict):
        out: list[str] = []
        for key, value in messages.items():
            out.extend(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(messages, list) and messages and not all(isinstance(m, str) for m in messages):
        return [line for m in messages for line in _flatten(m, prefix)]
    text = "; ".join(map(str, messages)) if isinstance(messages, list) else str(messages)
    return [f"{prefix}: {text}" if prefix else text]


def _fail(where: str, exc: ValidationError) -> ConfigError:
    return ConfigError(f"{where}: " + "; ".join(_flatten(exc.messages)))


def merge_override(rule: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """A rule with a site's or section's override laid over it; a model's thresholds merge
    per attribute, a patterns rule's words per list."""
    merged = {**rule, **override}
    if isinstance(rule.get("words"), dict) and isinstance(override.get("words"), dict):
        merged["words"] = {**rule["words"], **override["words"]}
    if "thresholds" in rule and "thresholds" in override:
        merged["thresholds"] = {
            name: {**rule["thresholds"].get(name, {}), **override["thresholds"].get(name, {})}
            for name in {*rule["thresholds"], *override["thresholds"]}
        }
    return merged


def _sharing(rule: Any, shared: dict[str, list[str]]) -> Any:
    """A patterns rule with the file's shared word lists beside its own (its own win)."""
    if not shared or not isinstance(rule, dict) or rule.get("type") not in ("patterns", "threats"):
        return rule
    own = rule.get("words", {})
    return {**rule, "words": {**shared, **own} if isinstance(own, dict) else own}


def validate_rule(params: Any, where: str) -> dict[str, Any]:
    """Validate one rule's params against the schema of its type."""
    if not isinstance(params, dict):
        raise ConfigError(f"{where}: a rule must be a table")
    rid = params.get("id", "?")
    kind = params.get("type")
    schema = RULE_SCHEMAS.get(kind) if isinstance(kind, str) else None
    if schema is None:
        known = ", ".join(sorted(RULE_SCHEMAS))
        raise ConfigError(f"{where}: rule {rid!r}: type: must be one of {known}")
    try:
        loaded: dict[str, Any] = schema().load(params)
    except ValidationError as exc:
        raise _fail(f"{where}: rule {rid!r}", exc) from exc
    return loaded


def load(directory: Path) -> Config:
    """Load rules.toml and the lexicon it names from `directory`."""
    rules_path = directory / RULES_FILE
    try:
        raw = tomllib.loads(rules_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{rules_path}: {exc}") from exc
    try:
        data: dict[str, Any] = RulesFileSchema().load(raw)
    except ValidationError as exc:
        raise _fail(str(rules_path), exc) from exc
    shared = data.get("words", {})
    data["rules"] = [validate_rule(_sharing(r, shared), str(rules_path)) for r in data["rules"]]
    sites: dict[str, dict[str, Any]] = {}
    for slug, site in data.get("sites", {}).items():
        where = f"{rules_path}: sites.{slug}"
        try:
            sites[slug] = SiteSchema().load(site)
        except ValidationError as exc:
            raise _fail(where, exc) from exc
        sites[slug]["rules"] = [
            validate_rule(_sharing(r, shared), where) for r in sites[slug].get("rules", [])
        ]
    files = [rules_path, directory / data["lexicon"]["terms"]]
    terms = _load_terms(files[1])
    allowlist: list[str] = []
    if "allowlist" in data["lexicon"]:
        files.append(directory / data["lexicon"]["allowlist"])
        allowlist = _load_lines(files[-1])
    models: dict[str, ToxicityModel] = {}
    for name in sorted(_model_names(data, sites)):
        path = BUILTIN_MODEL_PATH if name == BUILTIN_MODEL else directory / name
        models[name] = _load_model(path, rules_path)
        files.append(path)
    digest = hashlib.sha256()
    for path in files:
        # In pieces: a model file is megabytes, and a copy of it would stay in the heap.
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 16):
                digest.update(chunk)
        digest.update(b"\0")
    return Config(data, sites, terms, allowlist, digest.hexdigest()[:16], tuple(files), models)


def _model_names(data: dict[str, Any], sites: dict[str, dict[str, Any]]) -> set[str]:
    """Every model file a model rule or an override of one names."""
    rules = [*data["rules"], *(r for site in sites.values() for r in site.get("rules", []))]
    names = {r.get("model", BUILTIN_MODEL) for r in rules if r["type"] == "model"}
    for site in sites.values():
        overrides = [site.get("rule_overrides", {})]
        overrides += [s.get("rule_overrides", {}) for s in site.get("sections", {}).values()]
        for table in overrides:
            names |= {o["model"] for o in table.values() if isinstance(o.get("model"), str)}
    return names


def _load_model(path: Path, rules_path: Path) -> ToxicityModel:
    # Mapped, not read: a freed buffer of megabytes would raise glibc's thresholds and keep
    # the worker's heap from ever shrinking back (measured: 7 MiB more RSS). The model copies
    # what it keeps; the mapping goes with the last view of it.
    try:
        with path.open("rb") as fh:
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        return ToxicityModel(data)
    except (OSError, ValueError, ArtefactError) as exc:
        raise ConfigError(f"{rules_path}: model {path}: {exc}") from exc


def _load_lines(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    return [s for s in (line.split("#", 1)[0].strip() for line in lines) if s]


def _load_terms(path: Path) -> list[dict[str, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    reader = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    if tuple(reader.fieldnames or ()) != TERM_COLUMNS:
        raise ConfigError(f"{path}: header must be {' '.join(TERM_COLUMNS)}")
    schema = TermRowSchema()
    rows: list[dict[str, str]] = []
    for line, row in enumerate(reader, start=2):
        try:
            rows.append(schema.load(row))
        except ValidationError as exc:
            raise _fail(f"{path}:{line}: term {row.get('term')!r}", exc) from exc
    return rows
