"""What else ends when a person leaves: apps above accounts (panels' review memberships) register
a step here, so that deactivating an account ends everything it gave, in the same transaction,
without accounts importing them."""

from collections.abc import Callable

# A step takes the leaver, the acting user and the reason, and returns what it ended, in words
# ("Their membership of 2 reviews ended: NSCP-2026-001, NSCP-2026-004"), or "" for nothing.
LeaverStep = Callable[..., str]

_steps: list[LeaverStep] = []


def register_leaver_step(step: LeaverStep) -> None:
    """Run `step` whenever an account is deactivated (once per process: apps' ready())."""
    if step not in _steps:
        _steps.append(step)


def run_leaver_steps(*, user, by, reason: str) -> list[str]:
    """Every registered step for `user`, in the caller's transaction; what each ended."""
    return [done for step in _steps if (done := step(user=user, by=by, reason=reason))]
