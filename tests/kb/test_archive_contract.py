"""Managers search the post archive with the listening query syntax, alike on FTS5 and the search cluster."""
from __future__ import annotations

import pytest

from community.adapters.search.archive import ClusterPostArchive, Fts5PostArchive
from community.domain.model import StoredPost

POSTS = [
    StoredPost(1, "forum", "a", "https://forum.example.de/t/1", "O2 Netz weg", "Seit heute kein Empfang, Kündigung!",
               "kunde", None, None, {"language": "de"}),
    StoredPost(2, "reddit", "b", "https://www.reddit.com/r/de/2", "Sauerstoff", "O2 ist Sauerstoff, kein Netz-Thema",
               "chem", None, None, {"language": "de"}),
    StoredPost(3, "forum", "c", "https://forum.example.de/t/3", "Network down", "No signal since this morning",
               "cust", None, None, {"language": "en"}),
]


@pytest.fixture(params=["fts5", pytest.param("opensearch", marks=pytest.mark.opensearch),
                        pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def archive(request, tmp_path, cluster_indexes):
    if request.param == "fts5":
        yield Fts5PostArchive(tmp_path / "archive.db")
        return
    store = ClusterPostArchive(cluster_indexes(request.param))
    store.drop()
    yield store
    store.drop()


def ids(archive, query: str) -> list[int]:
    return sorted(p.id for p in archive.search(query))


def test_listening_queries_find_the_same_posts_on_every_backend(archive):
    assert archive.add(POSTS) == 3
    assert archive.last_post_id() == 3
    assert ids(archive, "netz") == [1, 2]
    assert ids(archive, '"O2" Netz -Sauerstoff') == [1]
    assert ids(archive, "kuendigung OR signal") == [1, 3]
    assert ids(archive, '"kein Empfang"') == [1]
    assert ids(archive, "sauer*") == [2]
    assert ids(archive, "netz site:reddit.com") == [2]


def test_a_malformed_query_is_rejected_with_its_position(archive):
    from community.domain.errors import ValidationError

    archive.add(POSTS)
    with pytest.raises(ValidationError):
        archive.search('"unclosed')


def test_adding_a_post_again_replaces_it(archive):
    archive.add(POSTS)
    archive.add([StoredPost(1, "forum", "a", "u", "Rechnung", "Doppelt abgebucht", "kunde", None, None, {})])
    assert ids(archive, "netz") == [2] and ids(archive, "abgebucht") == [1]


