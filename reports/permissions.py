"""Who may open which report, as rules beside the ticket rules
(tickets.permissions): views, the nav and the report scope all ask
`user.has_perm(...)` / `rules.has_perm(...)` of these names.

Report viewers, desk staff and admins see the whole university and may pick
any college's version (SEE_ALL); a college admissions teacher sees only their
college's (SEE); anyone else signed in, neither.
"""

import rules

from tickets import roles
from tickets.permissions import is_desk

SEE = "reports.view_reports"
SEE_ALL = "reports.view_all_reports"  # every college's and the university's; rebuild


@rules.predicate
def is_report_viewer(user) -> bool:
    return roles.has_role(user, roles.REPORT_VIEWER)


@rules.predicate
def teaches_a_college(user) -> bool:
    return roles.college_of(user) is not None


rules.add_perm(SEE_ALL, is_desk | is_report_viewer)
rules.add_perm(SEE, is_desk | is_report_viewer | teaches_a_college)
