"""Knowledge base on the web: search, articles with votes, manager review, suggestions while answering, JSON API."""
from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from community.domain.errors import NotFound
from community.services import rewards
from web.auth import roles_required
from web.services import services

bp = Blueprint("kb", __name__)
ANYONE = ("superuser", "staff", "manager", "admin")
MANAGERS = ("manager", "admin")


def _kb():
    return services().knowledge


def _hit_json(hit) -> dict:
    return {"id": hit.public_id, "article_id": hit.id, "title": hit.title, "score": hit.score, "snippet": hit.snippet,
            "language": hit.language, "topic": hit.topic, "url": hit.url}


def _search_args() -> tuple[str, dict]:
    text = request.args.get("q", "").strip()
    lang = request.args.get("lang") or None
    if lang not in (None, "de", "en"):
        abort(400, description="lang must be de or en")
    limit = request.args.get("limit", 10, type=int)
    if not 1 <= limit <= 100:
        abort(400, description="limit must be between 1 and 100")
    since = request.args.get("since") or None
    try:
        since_at = datetime.fromisoformat(since).replace(tzinfo=UTC) if since else None
    except ValueError:
        abort(400, description="since must be a date like 2026-01-31")
    return text, {"language": lang, "limit": limit, "topic": request.args.get("topic") or None,
                  "source": request.args.get("source") or None, "since": since_at}


@bp.get("/kb")
@roles_required(*ANYONE)
def search():
    text, filters = _search_args()
    hits = _kb().search(text, **filters) if text else []
    return render_template("kb/search.html", q=text, hits=hits, lang=filters["language"] or "")


@bp.get("/api/v1/kb/search")
@roles_required(*ANYONE)
def api_search():
    text, filters = _search_args()
    if not text:
        abort(400, description="q is required")
    return jsonify([_hit_json(h) for h in _kb().search(text, **filters)])


@bp.get("/kb/articles/<int:article_id>")
@roles_required(*ANYONE)
def article(article_id: int):
    item = _kb().get(article_id, count_view=True)
    if not item.published and current_user.role not in MANAGERS:
        raise NotFound(f"article {article_id} does not exist")
    return render_template("kb/article.html", a=item, manager=current_user.role in MANAGERS)


@bp.post("/kb/articles/<int:article_id>/vote")
@roles_required(*ANYONE)
def vote(article_id: int):
    kind = "helpful" if request.form.get("helpful") == "yes" else "not_helpful"
    item = _kb().feedback(article_id, kind, user_id=current_user.user.id)
    if kind == "helpful" and item.author_id:
        with services().uow() as uow:  # the article's author earns helpful-vote points (once per voter)
            rewards.on_event(uow, "helpful_vote", item.thread_id, item.author_id, services().clock.now(),
                             article_id=article_id, actor_id=current_user.user.id, topic=item.topic,
                             language=item.language)
            uow.commit()
    flash("Thanks, your vote was counted.", "ok")
    return redirect(url_for("kb.article", article_id=article_id))


@bp.route("/kb/articles/<int:article_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(article_id: int):
    if request.method == "POST":
        tags = tuple(t.strip() for t in request.form.get("tags", "").split(",") if t.strip())
        _kb().edit(article_id, title=request.form["title"].strip(), question=request.form["question"].strip(),
                   answer=request.form["answer"].strip(), topic=request.form.get("topic", "other").strip(), tags=tags)
        flash("Article saved.", "ok")
        return redirect(url_for("kb.article", article_id=article_id))
    return render_template("kb/edit.html", a=_kb().get(article_id))


@bp.post("/kb/articles/<int:article_id>/merge")
@roles_required(*MANAGERS)
def merge(article_id: int):
    into = request.form.get("into", type=int)
    if into is None:
        abort(400, description="into must be an article id")
    _kb().merge(article_id, into)
    flash(f"Merged into article {into}; this one is unpublished.", "ok")
    return redirect(url_for("kb.article", article_id=into))


@bp.post("/kb/articles/<int:article_id>/<any(publish, unpublish):action>")
@roles_required(*MANAGERS)
def publish(article_id: int, action: str):
    _kb().set_published(article_id, action == "publish")
    flash(f"Article {action}ed.", "ok")
    return redirect(url_for("kb.article", article_id=article_id))


@bp.get("/kb/review")
@roles_required(*MANAGERS)
def review():
    return render_template("kb/review.html", stale=_kb().articles.list(stale=True),
                           drafts=_kb().articles.list(published=False))


@bp.get("/kb/suggestions")
@roles_required(*ANYONE)
def suggestions():
    """Return the suggestion list (an HTML fragment for htmx) for a thread or a question."""
    thread_id = request.args.get("thread_id", type=int)
    question, language = request.args.get("q", ""), request.args.get("lang") or None
    if thread_id is not None:
        with services().uow() as uow:
            thread = uow.threads.get(thread_id)
            posts = uow.posts.for_thread(thread_id)
        question = " ".join([thread.title, *(p.text for p in posts[:1])])
        language = thread.language
    found = _kb().suggest(question, language) if question.strip() else []
    articles = {s.hit.id: _kb().get(int(s.hit.id)) for s in found}
    return render_template("kb/_suggestions.html", suggestions=found, articles=articles, thread_id=thread_id,
                           target=request.args.get("target", "answer-body"))


@bp.post("/kb/suggestions/<int:article_id>/<any(insert, dismiss):kind>")
@roles_required(*ANYONE)
def suggestion_feedback(article_id: int, kind: str):
    """Record that a suggestion was inserted or dismissed (it feeds back into ranking)."""
    _kb().feedback(article_id, kind, user_id=current_user.user.id, thread_id=request.form.get("thread_id", type=int))
    return ("", 200) if kind == "dismiss" else ('<span class="kb-inserted">inserted</span>', 200)
