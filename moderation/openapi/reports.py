"""Readers' reports, relayed by sites."""

from __future__ import annotations

from moderation.openapi.components import DEFAULTS, Json, body, field, obj, ok, op, path_param, ref
from moderation.store.reports import REASONS

SCHEMAS: Json = {
    "ReportIn": obj(
        "A reader's report, relayed by the site.",
        optional=("text",),
        closed=True,
        reporter_id=field(
            "string", "The site's id of the reader who reports.", minLength=1, maxLength=200
        ),
        reason=field("string", enum=list(REASONS)),
        text=field("string", "The reader's own words.", null=True, maxLength=1000),
    ),
    "Report": obj(
        "A report as the site (and its reader) may see it.",
        id=field("string"),
        comment_id=field("string", "The service's id of the reported comment."),
        reason=field("string", enum=list(REASONS)),
        state=field(
            "string",
            "open until a moderator acts on the comment: a rejection upholds its reports, "
            "an approval dismisses them.",
            enum=["open", "upheld", "dismissed"],
        ),
        public_note=field("string", "The moderator's note for the reader.", null=True),
        created_at=field("string", format="date-time"),
        resolved_at=field("string", null=True, format="date-time"),
    ),
}

_REPORT = ref("Report")

PATHS: Json = {
    "/v1/comments/{comment_id}/reports": {
        "post": op(
            "createReport",
            "File a reader's report on a comment",
            {
                **ok(201, "Filed.", _REPORT),
                **ok(
                    200, "This reader already reported this comment: their first report.", _REPORT
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
            description="Reports are weighed by the reporter's track record; at "
            f"MODERATION_REPORT_THRESHOLD (default {DEFAULTS.report_threshold}, or the site's "
            "own) the comment moves to the reported queue, and if the site hides reported comments "
            "an approved one is held.",
            parameters=[path_param("comment_id", "The service's id of the comment.")],
            requestBody=body("ReportIn"),
        )
    },
    "/v1/reports/{report_id}": {
        "get": op(
            "getReport",
            "A report's state and the moderator's public note",
            ok(200, "The report.", _REPORT),
            401,
            403,
            404,
            503,
            parameters=[path_param("report_id", "The report's `id`.")],
        )
    },
}
