"""The moderation engine: pure decisions over comments, driven by config/ data."""

from moderation.engine.decision import Action, Context, Decision, Reason
from moderation.engine.duplicates import duplicate_key
from moderation.engine.engine import Engine
from moderation.engine.loader import ConfigError

__all__ = ["Action", "ConfigError", "Context", "Decision", "Engine", "Reason", "duplicate_key"]
