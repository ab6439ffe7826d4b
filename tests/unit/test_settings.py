"""Settings: read from the environment, coerced, refused when unusable, and documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_are_embedded_sqlite_and_local_redis():
    settings = Settings.from_env({})
    assert settings.database_url.startswith("sqlite:///")
    assert settings.redis_url == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize(
    ("name", "raw", "field", "value"),
    [
        ("DATABASE_URL", "postgresql://x/y", "database_url", "postgresql://x/y"),
        ("MODERATION_BATCH_MAX", "7", "batch_max", 7),
        ("MODERATION_SQL_ECHO", "yes", "sql_echo", True),
        ("MODERATION_RULES_CHECK_INTERVAL", "0.5", "rules_check_interval", 0.5),
        ("MODERATION_CONFIG_DIR", "/etc/mod", "config_dir", Path("/etc/mod")),
    ],
)
def test_values_are_coerced(name, raw, field, value):
    assert getattr(Settings.from_env({name: raw}), field) == value


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("MODERATION_BATCH_MAX", "many"),
        ("MODERATION_BATCH_MAX", "0"),
        ("MODERATION_SQL_ECHO", "maybe"),
    ],
)
def test_bad_values_are_refused_by_name(name, raw):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: raw})


def test_every_setting_is_documented_in_readme_and_example_env():
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / "config" / "example.env").read_text()
    for name in Settings.env_names().values():
        assert f"`{name}`" in readme, name
        assert f"{name}=" in example, name
