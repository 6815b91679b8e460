"""Decide which crawled posts are mentions: the brands' listening queries, or a source's own query."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from crawlers.query import QueryBank, compile_matcher, parse


def terms_query(terms: Iterable[str]) -> str:
    """Return a query that matches any of ``terms`` as a phrase (the default for a brand without a query)."""
    phrases = ['"' + t.replace('"', " ").strip() + '"' for t in terms if t.strip(' "')]
    return " OR ".join(phrases)


class ListeningFilter:
    """Callable ``(post) -> bool``; a match records the query names in ``post.extra["queries"]``.

    Posts of a source with its own query must match that query; all other posts must match one of the
    brands' queries. No query at all means every post is kept.
    """

    def __init__(self, brand_queries: Mapping[str, str], source_queries: Mapping[str, str] | None = None) -> None:
        self.bank = QueryBank({name: parse(q) for name, q in brand_queries.items() if q.strip()})
        self.by_source = {src: compile_matcher(parse(q)) for src, q in (source_queries or {}).items() if q.strip()}

    def __call__(self, post) -> bool:
        """Tell whether the post is a mention, and note which queries it matched."""
        matcher = self.by_source.get(post.source)
        if matcher is not None:
            names = [f"source:{post.source}"] if matcher(post, post.lang_hint) else []
        elif len(self.bank):
            names = [str(name) for name, _result in self.bank.match(post, post.lang_hint)]
        else:
            return True
        if names:
            post.extra["queries"] = names
        return bool(names)
