"""Every change to an action plan: actions added (from a recommendation, an immediate action of
the rapid review, or the review's learning), their progress and evidence, the sub-group's
ratings and requests, closure on evidence of impact, and the review's own closure once its plan
is done.

Each service is atomic, takes the acting user as `by`, records change history (with `by` as the
history user) and one timeline event on the review, and raises `WorkflowError` with a reason the
user understands when the workflow does not allow the step. Who may call which service is the
views' business (actions/permissions.py); the closure rule is also checked here because it is
the rule the whole plan hangs on.

Split by area: plan.py (adding and correcting actions, the review's closure), progress.py (what
the lead agency records), monitoring.py (the sub-group's decisions).
"""

from actions.services._base import STATUS_ORDER
from actions.services.monitoring import (
    action_close,
    action_hand_over,
    action_rate,
    action_reopen,
    action_share,
    closure_blocker,
    impact_evidence_request,
)
from actions.services.plan import (
    action_add,
    action_due_date_change,
    action_edit,
    action_from_immediate,
    actions_from_recommendations,
    plan_close_blocker,
    review_close_if_done,
)
from actions.services.progress import (
    completion_evidence_record,
    impact_evidence_record,
    progress_update_add,
)

__all__ = [
    "STATUS_ORDER",
    "action_add",
    "action_close",
    "action_due_date_change",
    "action_edit",
    "action_from_immediate",
    "action_hand_over",
    "action_rate",
    "action_reopen",
    "action_share",
    "actions_from_recommendations",
    "closure_blocker",
    "completion_evidence_record",
    "impact_evidence_record",
    "impact_evidence_request",
    "plan_close_blocker",
    "progress_update_add",
    "review_close_if_done",
]
