"""The toxicity model: a linear model over hashed word and character n-grams, run on folded text."""

from moderation.engine.model.artefact import ArtefactError
from moderation.engine.model.scorer import ATTRIBUTES, Driver, ToxicityModel

__all__ = ["ATTRIBUTES", "ArtefactError", "Driver", "ToxicityModel"]
