"""The web app with every metric a no-op: the baseline of bench/metrics_overhead.py."""

from __future__ import annotations

from moderation import metrics


class _Null:
    """Takes labels, increments and observations, and keeps nothing."""

    def labels(self, *_values: str) -> _Null:
        return self

    def inc(self, _amount: float = 1) -> None:
        pass

    def observe(self, _value: float) -> None:
        pass


_NAMES = [name for name, value in vars(metrics).items() if hasattr(value, "_metric_init")]
for _name in _NAMES:
    setattr(metrics, _name, _Null())

from moderation.wsgi import app  # noqa: E402 - after the metrics are replaced

__all__ = ["app"]
