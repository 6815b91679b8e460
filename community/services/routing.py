"""The router the ingest service calls: rules engine decisions, offers to super-users, re-offers and replay."""
from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from community.domain.model import Analysis, Decision, RawPost, Target, Thread, ThreadEvent
from community.domain.routing.engine import RoutingEngine
from community.domain.routing.facts import analysis_from_dict, facts_from
from community.domain.routing.matching import Need, SuperUserProfile
from community.domain.routing.pool import CandidatePool, rank
from community.domain.routing.records import DecisionRecord
from community.domain.routing.value import RollingQuantile
from community.ports import Clock, UnitOfWork
from community.services.work import WorkRules, capacities


class Router:
    """Route new threads with the rules engine and offer community threads to the best-matching super-users."""

    def __init__(self, engine: RoutingEngine, clock: Clock, *, work_rules: WorkRules | None = None,
                 offer_minutes: int = 20, reoffer_more: int = 3, profile_ttl_seconds: int = 30) -> None:
        self.engine, self.clock = engine, clock
        self.work_rules = work_rules or WorkRules()
        self.offer_minutes, self.reoffer_more = offer_minutes, reoffer_more
        self.profile_ttl = timedelta(seconds=profile_ttl_seconds)
        self._cache: tuple[int, datetime, CandidatePool] | None = None
        self._warm = False

    def warm_up(self, uow: UnitOfWork) -> int:
        """Seed the rolling value window from recently stored posts, once (so a restart keeps the split)."""
        if self._warm:
            return 0
        self._warm = True
        quantile, seen = self.engine.quantile, 0
        for post in reversed(uow.posts.recent(None, quantile.window)):
            raw = RawPost(post.source, post.external_id, post.url, post.title, post.text, post.author)
            quantile.add(self.engine.value.estimate(facts_from(raw, analysis_from_dict(post.analysis)))[0])
            seen += 1
        return seen

    def pool(self, uow: UnitOfWork | None) -> CandidatePool:
        """Return the super-user pool, re-read at most every few seconds within one unit of work."""
        if uow is None:
            return CandidatePool(())
        now = self.clock.now()
        cached = self._cache
        if cached is None or cached[0] != id(uow) or now - cached[1] > self.profile_ttl:
            profiles = uow.routing.profiles(now)
            effective = capacities(uow, {p.user_id: p.capacity for p in profiles}, now, self.work_rules)
            for p in profiles:  # the same effective capacity the claim checks (rank privileges included)
                p.capacity = effective[p.user_id]
            self._cache = cached = (id(uow), now, CandidatePool(profiles))
        return cached[2]

    def decide(self, post: RawPost, analysis: Analysis, context: UnitOfWork | None = None, *,
               dry_run: bool = False, profiles: list[SuperUserProfile] | None = None) -> Decision:
        """Return the explained decision for a new post; ``context`` (a unit of work) supplies super-users."""
        if context is not None:
            self.warm_up(context)
        pool = self.pool(context) if profiles is None else profiles
        return self.engine.decide(facts_from(post, analysis), pool, self.clock.now(), learn=not dry_run,
                                  author=post.author)

    def opened(self, uow: UnitOfWork, thread: Thread, decision: Decision) -> list[int]:
        """Record a just-routed thread's decision in its history and offer it to the candidates the decision chose."""
        uow.routing.record_decision(DecisionRecord.of(thread.id, self.clock.now(), decision.as_dict()))
        chosen = [c["user_id"] for c in decision.candidates if c.get("chosen")]
        return self._offer(uow, thread, chosen, round=1, why=f"rule '{decision.rule}'")

    def reoffer(self, uow: UnitOfWork, thread: Thread, round: int) -> list[int]:
        """Offer a still-unclaimed community thread to the next best super-users not offered or claiming it before."""
        if thread.target != Target.COMMUNITY or thread.staff_only:
            return []
        already = {o.user_id for o in uow.routing.offers(thread.id)} | uow.routing.claimers(thread.id)
        pool = [p for p in self.pool(uow).profiles if p.user_id not in already]
        need = Need(thread.topic, thread.language, tuple(thread.decision.get("required_skills", ())))
        verdicts, _ = rank(need, pool, self.clock.now(), top_n=self.reoffer_more,
                           hourly_cap=self.work_rules.hourly_cap, shown_not_chosen=0)
        return self._offer(uow, thread, [v.user_id for v in verdicts if v.chosen], round=round,
                           why="still unclaimed")

    def _offer(self, uow: UnitOfWork, thread: Thread, user_ids: list[int], *, round: int, why: str) -> list[int]:
        if not user_ids or thread.target != Target.COMMUNITY or thread.staff_only:
            return []
        now = self.clock.now()
        uow.routing.add_offers(thread.id, user_ids, at=now, expires=now + timedelta(minutes=self.offer_minutes),
                               round=round)
        for profile in self.pool(uow).profiles:  # keep the cached load in step for the next thread of the batch
            if profile.user_id in user_ids:
                profile.open_offers += 1
                profile.last_offered = now
        uow.threads.add_event(ThreadEvent(thread.id, "offered", now, body=f"round {round} ({why})",
                                          data={"user_ids": user_ids, "round": round}))
        return user_ids


@dataclass
class ReplayReport:
    """What re-routing stored history under the current rules would change."""

    total: int = 0
    changed: int = 0
    moves: Counter = field(default_factory=Counter)
    by_rule: dict[str, Counter] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {"total": self.total, "changed": self.changed, "moves": dict(self.moves),
                "by_rule": {rule: dict(c) for rule, c in sorted(self.by_rule.items())}}


def replay(uow: UnitOfWork, engine: RoutingEngine, since: datetime, *, limit: int = 100_000) -> ReplayReport:
    """Re-route each thread's first stored post since ``since`` and count moves from its original decision per rule."""
    fresh = dataclasses.replace(engine, quantile=RollingQuantile(engine.quantile.window, engine.quantile.min_samples))
    first_posts: dict[int, object] = {}
    for post in uow.posts.recent(since, limit):  # newest first: the last one seen per thread is its first post
        if post.thread_id is not None:
            first_posts[post.thread_id] = post
    report = ReplayReport()
    original = uow.routing.first_decisions(first_posts)  # read only: a replay never records decisions
    for thread_id, post in sorted(first_posts.items()):
        raw = RawPost(post.source, post.external_id, post.url, post.title, post.text, post.author, post.published)
        decision = fresh.decide(facts_from(raw, analysis_from_dict(post.analysis)), [], post.published or since)
        if thread_id in original:  # the decision history keeps the original even after re-routing by hand
            before = original[thread_id].target
        else:  # threads routed before decisions were recorded
            thread = uow.threads.get(thread_id)
            before = str(thread.decision.get("target") or thread.target or "")
        after = str(decision.target)
        report.total += 1
        if before != after:
            report.changed += 1
            move = f"{before or 'none'}→{after}"
            report.moves[move] += 1
            report.by_rule.setdefault(decision.rule, Counter())[move] += 1
    return report
