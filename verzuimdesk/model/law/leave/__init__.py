"""Leave (*verlof*, domain.md §6): art. 11, 11a, 13, 13a and 14 Lpw.

Modules per subject: :mod:`.counting` (labels, the unit of the ten-day limits, who is under the Lpw),
:mod:`.checks` (the findings before the head decides), :mod:`.decisions` (storing, deciding, forwarding and
the leerplichtambtenaar's decision, registration), :mod:`.summaries` (lists and totals), :mod:`.art11a`
(the weekly allowance of five-year-olds). Callers import from this package.
"""

from verzuimdesk.model.law.leave.art11a import Art11aFinding, art11a_findings
from verzuimdesk.model.law.leave.checks import blocking, check_leave_request, holiday_notice_weeks
from verzuimdesk.model.law.leave.counting import (
    AFTER_THE_FACT_DAYS,
    HOLIDAY_NOTICE_SETTING,
    HOLIDAY_NOTICE_WEEKS,
    KIND_LABELS,
    MAX_LEAVE_DAYS,
    NOTICE_DAYS_RELIGIOUS,
    REASON_FOR_KIND,
    STATUS_LABELS,
    KindSummary,
    LeaveViolation,
    Severity,
    granted_days_in_year,
    kind_label,
    leave_school_days,
    must_forward,
    pupil_lesson_days,
    school_year_of,
    status_label,
    under_lpw,
)
from verzuimdesk.model.law.leave.decisions import (
    LPA_DECISIONS,
    decide_leave_request,
    record_lpa_decision,
    remove_leave_entries,
    submit_leave_request,
    withdraw_leave_request,
)
from verzuimdesk.model.law.leave.summaries import leave_requests, leave_summary

__all__ = [
    "AFTER_THE_FACT_DAYS", "HOLIDAY_NOTICE_SETTING", "HOLIDAY_NOTICE_WEEKS", "KIND_LABELS", "LPA_DECISIONS",
    "MAX_LEAVE_DAYS", "NOTICE_DAYS_RELIGIOUS", "REASON_FOR_KIND", "STATUS_LABELS", "Art11aFinding", "KindSummary",
    "LeaveViolation", "Severity", "art11a_findings", "blocking", "check_leave_request", "decide_leave_request",
    "granted_days_in_year", "holiday_notice_weeks", "kind_label", "leave_requests", "leave_school_days",
    "leave_summary", "must_forward", "pupil_lesson_days", "record_lpa_decision", "remove_leave_entries",
    "school_year_of", "status_label", "submit_leave_request", "under_lpw", "withdraw_leave_request",
]  # fmt: skip
