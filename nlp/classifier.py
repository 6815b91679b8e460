"""SpacyClassifier: the Classifier port over the trained pipeline, keyword rules, signals and entities."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from community.domain.model import Analysis, RawPost
from community.domain.topics import KeywordRules
from nlp.entities import EntityMatcher
from nlp.language import detect_language, detect_languages
from nlp.models import load_model, model_dir
from nlp.pipeline import TASKS, label
from nlp.scoring import HashedBowScorer
from nlp.signals import context_signals, text_signals
from nlp.text import clean_text, folded_texts, has_words, model_text
from nlp.tokens import ChunkTokenizer
from nlp.urgency import DEFAULT_THRESHOLDS, urgency_level, urgency_score


@dataclass(frozen=True)
class ClassifierOptions:
    """Decision thresholds of the classifier (mirrors the ``[nlp]`` settings)."""

    topic_min_confidence: float = 0.0
    rules_override_below: float = 1.0
    sentiment_min_confidence: float = 0.5
    strong_negative: float = 0.85
    reach_threshold: int = 10_000
    engagement_threshold: int = 50
    batch_size: int = 256


class SpacyClassifier:
    """Read posts: language, topic (keyword rules first, model second), urgency, sentiment, entities."""

    def __init__(self, pipeline: Language, *, meta: Mapping | None = None, brands: Iterable = (),
                 topics: Mapping[str, Sequence[str]] | None = None, options: ClassifierOptions | None = None) -> None:
        self.pipeline = pipeline
        self.meta = dict(meta or {})
        self.rules = KeywordRules(topics or {})
        self.options = options or ClassifierOptions()
        self.thresholds = dict(DEFAULT_THRESHOLDS, **self.meta.get("urgency_thresholds", {}))
        self.entities = EntityMatcher(pipeline, brands)
        self.scorer = HashedBowScorer.from_pipeline(pipeline)  # None: other architectures go through nlp.pipe
        self.tokens = ChunkTokenizer(pipeline)
        self._scorer_has_every_label = self.scorer is not None and all(
            self.scorer.labels.get(task) == list(values) for task, values in TASKS.items())
        detect_language("warm up")  # load the language model now, not on the first mention

    @classmethod
    def load(cls, models_path: Path, *, kind: str = "accurate", **kwargs) -> SpacyClassifier:
        """Load the trained model of ``kind`` from ``models_path``; FileNotFoundError when it is missing."""
        pipeline, meta = load_model(model_dir(models_path, kind))
        return cls(pipeline, meta=meta, **kwargs)

    def analyse(self, post: RawPost) -> Analysis:
        """Return the analysis of one post (never raises on odd text)."""
        return self.analyse_many([post])[0]

    def analyse_many(self, posts: Sequence[RawPost]) -> list[Analysis]:
        """Return the analyses of many posts, scoring the model on ``batch_size`` posts at a time."""
        analyses = []
        for batch, cleaned, folded, tokens, probabilities, worded in self._batches(posts):
            languages = detect_languages(cleaned, [post.lang_hint for post in batch], worded)
            analyses += map(self._analysis, batch, cleaned, folded, tokens, probabilities, languages)
        return analyses

    def urgency_inputs(self, posts: Sequence[RawPost]) -> list[tuple[dict, list[str]]]:
        """Return each post's model probabilities and fired signals (what the urgency level is decided from)."""
        return [(probs, self._signals(post, text, folded, probs)) for post, text, folded, _, probs in self._read(posts)]

    def model_probabilities(self, texts: Sequence[str]) -> list[dict[str, dict[str, float]]]:
        """Return each cleaned text's model probabilities per task and label ({} for texts without words)."""
        results = []
        for start in range(0, len(texts), self.options.batch_size):
            batch = texts[start:start + self.options.batch_size]
            results += self._probabilities(batch, [model_text(text) for text in batch])
        return results

    def _read(self, posts: Sequence[RawPost]) -> Iterator[tuple[RawPost, str, str, Sequence[int], dict]]:
        for batch in self._batches(posts):
            yield from zip(*batch[:5], strict=True)

    def _batches(self, posts: Sequence[RawPost]) -> Iterator[tuple[list, list, list, list, list, list]]:
        """Yield (posts, cleaned texts, folded texts, token ids, probabilities, whether each text has words) of
        ``batch_size`` posts at a time."""
        for start in range(0, len(posts), self.options.batch_size):
            batch = posts[start:start + self.options.batch_size]
            cleaned = [clean_text("\n".join(part for part in (post.title, post.text) if part)) for post in batch]
            folded = [folded_texts(text) for text in cleaned]  # (for the signals, for the model)
            models = [model for _, model in folded]
            # Token ids where the scorer or the entity matcher read them (one tokenising for both).
            tokens = ([self.tokens(model) for model in models] if self.scorer is not None or self.entities.lengths
                      else [()] * len(batch))
            worded = [has_words(text) for text in cleaned]
            yield (batch, cleaned, [f for f, _ in folded], tokens, self._probabilities(cleaned, models, tokens, worded),
                   worded)

    def _probabilities(self, texts: Sequence[str], models: Sequence[str],
                       token_ids: Sequence[Sequence[int]] | None = None,
                       worded: Sequence[bool] | None = None) -> list[dict[str, dict[str, float]]]:
        """Return the model probabilities of cleaned texts given their ``model_text`` ({} without words).

        ``token_ids`` (the models' token ids) and ``worded`` (``has_words`` of each text) when already known.
        """
        if worded is None:
            worded = [has_words(text) for text in texts]
        if self.scorer is not None:
            if token_ids is None:
                token_ids = [self.tokens(model) for model in models]
            scored = [i for i, (ids, words) in enumerate(zip(token_ids, worded, strict=True)) if ids and words]
            found = self.scorer([token_ids[i] for i in scored])
            if not self._scorer_has_every_label:
                found = [{task: {v: p.get(task, {}).get(v, 0.0) for v in values} for task, values in TASKS.items()}
                         for p in found]  # a pipeline without some task or label: those read 0
        else:  # only docs with words go through spaCy (an empty doc in a batch breaks the n-gram layers)
            docs = [self.pipeline.make_doc(model) for model in models]
            scored = [i for i, (doc, words) in enumerate(zip(docs, worded, strict=True)) if len(doc) and words]
            found = [{task: {v: float(doc.cats.get(label(task, v), 0.0)) for v in values} for task, values in TASKS.items()}
                     for doc in self.pipeline.pipe((docs[i] for i in scored), batch_size=self.options.batch_size)]
        results: list[dict[str, dict[str, float]]] = [{} for _ in texts]
        for i, probabilities in zip(scored, found, strict=True):
            results[i] = probabilities
        return results

    def _signals(self, post: RawPost, text: str, folded: str, probs: Mapping) -> list[str]:
        signals = text_signals(folded, text) if probs else []
        if probs and probs["sentiment"]["negative"] >= self.options.strong_negative:
            signals.append("strong_negative")
        if post.extra:
            signals += context_signals(post.extra, self.options.reach_threshold, self.options.engagement_threshold)
        return signals

    def _analysis(self, post: RawPost, text: str, folded: str, token_ids: Sequence[int], probs: Mapping,
                  language: tuple[str, float]) -> Analysis:
        topic, confidence, source, tags = self._topic(text, probs.get("topic", {}))
        sentiment, sentiment_score = self._sentiment(probs.get("sentiment", {}))
        signals = self._signals(post, text, folded, probs)
        urgency_probs = probs.get("urgency") or {"low": 1.0}  # no words to read: low (reach/engagement add points)
        level = urgency_level(urgency_probs, signals, self.thresholds)
        return Analysis(language=language[0], topic=topic, topic_confidence=confidence, topic_source=source,
                        tags=tags, urgency_score=urgency_score(urgency_probs, signals, level), urgency_level=level,
                        urgency_signals=tuple(signals), sentiment_label=sentiment, sentiment_score=sentiment_score,
                        entities=self.entities(token_ids))

    def _topic(self, text: str, probs: Mapping[str, float]) -> tuple[str, float, str, tuple[str, ...]]:
        model_topic = max(probs, key=probs.__getitem__) if probs else "other"
        confidence = probs[model_topic] if probs else 0.0
        if confidence < self.options.topic_min_confidence:
            model_topic = "other"
        ruled, keywords = self.rules(text)
        tags = tuple(f"keyword:{kw}" for kw in keywords)
        if ruled and (confidence < self.options.rules_override_below or ruled == model_topic or not probs):
            extra = (f"model:{model_topic}",) if model_topic not in (ruled, "other") else ()
            return ruled, 1.0, "rules", tags + extra
        if ruled:  # a confident model keeps its topic; the rule's topic stays visible as a tag
            tags += (f"rule:{ruled}",)
        return model_topic, confidence, "model" if probs else "rules", tags

    def _sentiment(self, probs: Mapping[str, float]) -> tuple[str, float]:
        if not probs:
            return "neutral", 0.0
        best = max(probs, key=probs.__getitem__)
        score = probs[best]
        if score < self.options.sentiment_min_confidence:
            return "neutral", probs.get("neutral", 0.0)
        return best, score
