"""Review before publishing: N peer reviews by other super-users and/or staff approval, never one's own answer."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from community.domain.errors import Forbidden, InvalidTransition


@dataclass(frozen=True, slots=True)
class ReviewPolicy:
    """How many peer approvals and whether staff approval an answer needs before it is published."""

    peer_reviews: int = 0
    staff_approval: bool = False

    @property
    def required(self) -> bool:
        """Tell whether any review is needed."""
        return self.peer_reviews > 0 or self.staff_approval

    def describe(self) -> str:
        """Return the policy in words."""
        parts = [f"{self.peer_reviews} peer review(s)"] if self.peer_reviews else []
        parts += ["staff approval"] if self.staff_approval else []
        return " + ".join(parts) or "no review"


def policy_for(policies: Mapping[str, ReviewPolicy], *, topic: str, target: str,
               default: ReviewPolicy = ReviewPolicy()) -> ReviewPolicy:
    """Pick the policy for ``topic:<name>`` first, then ``target:<name>``, then the default."""
    return policies.get(f"topic:{topic}") or policies.get(f"target:{target}") or default


class Verdict(StrEnum):
    """A reviewer's vote."""

    APPROVE = "approve"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class Vote:
    """One review of an answer."""

    reviewer_id: int
    staff: bool
    verdict: Verdict
    note: str = ""


class Outcome(StrEnum):
    """Where an answer stands in review."""

    PENDING = "pending"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"


def check_vote(author_id: int, reviewer_id: int, earlier: Iterable[Vote]) -> None:
    """Refuse self-review and a second vote by the same reviewer."""
    if reviewer_id == author_id:
        raise Forbidden("nobody reviews their own answer")
    if any(v.reviewer_id == reviewer_id for v in earlier):
        raise InvalidTransition("you have already reviewed this answer")


def outcome(policy: ReviewPolicy, votes: Iterable[Vote]) -> Outcome:
    """Return the answer's state: any rejection sends it back; enough approvals publish it."""
    votes = list(votes)
    if any(v.verdict == Verdict.REJECT for v in votes):
        return Outcome.CHANGES_REQUESTED
    peers = sum(1 for v in votes if not v.staff and v.verdict == Verdict.APPROVE)
    staff = any(v.staff and v.verdict == Verdict.APPROVE for v in votes)
    return Outcome.APPROVED if peers >= policy.peer_reviews and (staff or not policy.staff_approval) else Outcome.PENDING
