"""Reader reports, relayed by sites, and what became of them."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, url_for

from moderation.api.common import current_site, json_body, load, schema, services
from moderation.errors import NotFound
from moderation.reporting import file_report
from moderation.schemas.reports import ReportIn, ReportOut
from moderation.store.reports import find_report

bp = Blueprint("reports", __name__)


@bp.before_request
def _authenticate() -> None:
    # Credentials first, so an anonymous caller learns nothing from validation errors.
    current_site()


_out = ReportOut()


@bp.post("/v1/comments/<comment_id>/reports")
def create(comment_id: str) -> tuple[Response, int, dict[str, str]]:
    """File a reader's report; a repeat by the same reader answers with the first report."""
    site = current_site()
    data = load(schema(ReportIn), json_body())
    filed = file_report(services(), site, comment_id, **data)
    location = {"Location": url_for("reports.read", report_id=filed.report.id)}
    return jsonify(_out.dump(filed.report)), 201 if filed.created else 200, location


@bp.get("/v1/reports/<report_id>")
def read(report_id: str) -> Response:
    """A report's state and the moderator's public note."""
    site = current_site()
    with services().db.session() as session:
        report = find_report(session, site.id, report_id)
    if report is None:
        raise NotFound(f"No report {report_id} on this site.")
    return jsonify(_out.dump(report))
