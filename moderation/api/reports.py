"""Reader reports, relayed by sites, and what became of them."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, url_for
from marshmallow import fields

from moderation.api.common import current_site, json_body, schema, services
from moderation.domain.reporting import file_report
from moderation.errors import NotFound
from moderation.openapi import Answer, operation
from moderation.schemas.loading import load
from moderation.schemas.reports import ReportIn, ReportOut
from moderation.store.reports import find_report

bp = Blueprint("reports", __name__)


@bp.before_request
def _authenticate() -> None:
    # Credentials first, so an anonymous caller learns nothing from validation errors.
    current_site()


_out = ReportOut()


_REPORT_PATH = {"Location": "Path of the report."}


@bp.post("/v1/comments/<comment_id>/reports")
@operation(
    "createReport",
    {
        201: Answer("Filed.", ReportOut, _REPORT_PATH),
        200: Answer(
            "This reader already reported this comment: their first report.",
            ReportOut,
            _REPORT_PATH,
        ),
    },
    400,
    401,
    403,
    404,
    413,
    422,
    429,
    503,
    body=ReportIn,
    path={
        "comment_id": fields.String(metadata={"description": "The service's id of the comment."})
    },
)
def create(comment_id: str) -> tuple[Response, int, dict[str, str]]:
    """File a reader's report on a comment.

    A repeat by the same reader answers with their first report. Reports are weighed by the
    reporter's track record; at MODERATION_REPORT_THRESHOLD, or the site's own threshold, the
    comment moves to the reported queue, and if the site hides reported comments an approved
    one is held.
    """
    site = current_site()
    data = load(schema(ReportIn), json_body())
    filed = file_report(services(), site, comment_id, **data)
    location = {"Location": url_for("reports.read", report_id=filed.report.id)}
    return jsonify(_out.dump(filed.report)), 201 if filed.created else 200, location


@bp.get("/v1/reports/<report_id>")
@operation(
    "getReport",
    {200: Answer("The report.", ReportOut)},
    401,
    403,
    404,
    503,
    path={"report_id": fields.String(metadata={"description": "The report's `id`."})},
)
def read(report_id: str) -> Response:
    """A report's state and the moderator's public note."""
    site = current_site()
    with services().db.session() as session:
        report = find_report(session, site.id, report_id)
    if report is None:
        raise NotFound(f"No report {report_id} on this site.")
    return jsonify(_out.dump(report))
