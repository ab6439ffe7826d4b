"""Health endpoints for load balancers and operators."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from moderation import metrics
from moderation.api.common import services
from moderation.openapi import PUBLIC, Answer, operation
from moderation.schemas.service import HealthOut, ReadinessOut

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@operation("live", {200: Answer("Alive.", HealthOut)}, security=PUBLIC)
def live() -> Response:
    """The process answers."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
@operation(
    "ready",
    {
        200: Answer("Ready.", ReadinessOut),
        503: Answer("Not ready: a balancer should stop sending traffic.", ReadinessOut),
    },
    security=PUBLIC,
)
def ready() -> tuple[Response, int]:
    """The database and Redis answer.

    Otherwise 503, so a balancer stops sending traffic.
    """
    checks = {"database": False, "redis": services().queue.ping()}
    try:
        with services().db.session() as session:
            session.execute(text("SELECT 1"))
        checks["database"] = True
    except SQLAlchemyError as error:
        current_app.logger.warning("readiness: database check failed: %s", error)
    ok = all(checks.values())
    return jsonify({"status": "ok" if ok else "unavailable", "checks": checks}), 200 if ok else 503


@bp.get("/metrics")
@operation(
    "metrics",
    {200: Answer("Prometheus text format.", {"type": "string"}, media_type="text/plain")},
    security=PUBLIC,
)
def scrape() -> Response:
    """Prometheus metrics: counters of every process, queue gauges read from Redis now.

    Public, like the health checks: it holds counts by site name, route and status, never a
    comment, an id or a key. Keep it off a public ingress all the same.
    """
    settings = services().settings
    body, content_type = metrics.exposition(
        services().redis, comments=settings.queue_name, webhooks=settings.webhook_queue_name
    )
    return Response(body, content_type=content_type)
