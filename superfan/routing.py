"""Wiring of routing: settings → rules engine, SLA policy, review policies, router; the SLA job and the analysis pass."""
from __future__ import annotations

import logging

from community.domain.model import Target
from community.domain.route_defaults import TopicRoute, default_table
from community.domain.routing.engine import RoutingEngine
from community.domain.routing.review import ReviewPolicy
from community.domain.routing.rules import RuleBook
from community.domain.routing.sla import SlaPolicy, SlaTarget
from community.domain.routing.value import RollingQuantile, ValueModel
from community.services.analysis import AnalysisReport, analyse_pending
from community.services.escalation import run_escalation
from community.services.routing import Router
from community.services.work import WorkRules
from superfan.scheduler import register_job
from superfan.settings.routing import RoutingSettings, SlaSettings

SLA_JOB = "routing:sla"
ANALYSIS_JOB = "listening:analyse"
log = logging.getLogger(__name__)


def build_engine(routing: RoutingSettings, sla: SlaSettings, seed: list[float] | tuple = ()) -> RoutingEngine:
    """Build the pure routing engine from settings (the rolling value window optionally seeded from history)."""
    v = routing.value
    model = ValueModel(dict(v.topic_weights), v.default_topic_weight, v.topic, v.reach, v.intent, v.engagement,
                       tuple(v.intent_keywords))
    return RoutingEngine(RuleBook.from_tables(r.model_dump() for r in routing.rules), sla_policy(sla), model,
                         RollingQuantile(v.window, v.min_samples, seed), routing.staff_share, routing.offer_top_n,
                         routing.hourly_cap)


def sla_policy(sla: SlaSettings) -> SlaPolicy:
    """Build the domain SLA policy from settings."""
    levels = {p: SlaTarget(getattr(sla, f"{p}_minutes"), getattr(sla, f"{p}_resolution_minutes"))
              for p in ("critical", "high", "normal", "low")}
    overrides = {k: SlaTarget(o.first_response_minutes, o.resolution_minutes) for k, o in sla.overrides.items()}
    return SlaPolicy(levels, overrides, sla.at_risk_fraction, sla.reoffer_after_minutes)


def review_policies(routing: RoutingSettings) -> dict[str, ReviewPolicy]:
    """Return the review policies keyed 'topic:<name>' / 'target:<name>'."""
    return {r.applies_to: ReviewPolicy(r.peer_reviews, r.staff_approval) for r in routing.review}


def build_router(settings, clock) -> Router:
    """Build the router the ingest service calls (rules engine, topic table, offers); register its scheduled jobs."""
    register_sla_job(settings)
    register_job(ANALYSIS_JOB, run_analysis_job, 1)  # reads and routes what an interrupted pass left waiting
    engine = build_engine(settings.routing, settings.sla)
    engine.topic_routes = default_table({name: TopicRoute(Target(t.route), t.queue or t.route)
                                         for name, t in settings.topics.items()})
    return Router(engine, clock, work_rules=work_rules(settings), offer_minutes=settings.routing.offer_minutes,
                  reoffer_more=settings.routing.reoffer_more)


def work_rules(settings) -> WorkRules:
    """Return the lease, fairness cap, review policies and rank privileges the work actions obey."""
    return WorkRules(settings.routing.claim_lease_minutes, settings.routing.hourly_cap,
                     review_policies(settings.routing), settings.gamification.programme())


def run_sla_job(services) -> None:
    """Run the escalation job once (the scheduler calls it every ``sla.check_every_minutes``).

    A thread a KB article "likely answered" that still misses its resolution target counts against that
    article (a staleness signal: the article does not settle the question)."""
    unresolved: list[int] = []
    run_escalation(services.uow, services.router, sla_policy(services.settings.sla), services.clock,
                   unresolved=unresolved)
    for article_id in likely_answering_articles(services, unresolved):
        services.knowledge.question_unresolved(article_id)


def likely_answering_articles(services, thread_ids: list[int]) -> list[int]:
    """Return the article ids that were marked as likely answering these threads."""
    with services.uow() as uow:
        return [e.data["article_id"] for tid in thread_ids for e in uow.threads.events(tid)
                if e.kind == "likely_answered" and "article_id" in e.data]


def register_sla_job(settings) -> None:
    """Register the SLA job with the one scheduler."""
    register_job(SLA_JOB, run_sla_job, settings.sla.check_every_minutes)


def analyse_stored(services) -> AnalysisReport:
    """Analyse and route every stored post still waiting; an error is logged and reported, never raised."""
    try:
        return analyse_pending(services.uow, classifier=services.classifier, router=services.router,
                               clock=services.clock, knowledge=getattr(services, "knowledge", None))
    except Exception as exc:  # the posts stay stored and waiting: the next pass reads them
        log.exception("analysing stored posts failed; they wait for the next pass")
        return AnalysisReport(errors=[f"analysis failed (posts kept, waiting for the next pass): "
                                      f"{type(exc).__name__}: {exc}"])


def run_analysis_job(services) -> None:
    """Scheduled every minute: read and route stored posts that an interrupted or failed pass left waiting."""
    report = analyse_stored(services)
    if report.analysed or report.errors:
        log.info("analysis pass: %d posts read, %d threads routed%s", report.analysed, report.routed,
                 f" — {'; '.join(report.errors)}" if report.errors else "")
