"""Who-said answers checked statement by statement, on one store of every PolNeAR article but the test split.

- What-said precision: for the 20 most-quoted speakers (gold, reliable names) and, for each, 3 topics (the nouns
  of their own gold quotes) and 3 broad ones (the nouns most common in the articles that name them), "What did X
  say about T?"; every statement the answer cites as X's is right when a gold attribution overlapping it names X.
  Also the share of questions with at least one right statement, and crashes.
- Refusals: 40 near-miss questions of our own (bench/data/near_miss_whosaid.txt) refused.
- PolNeAR dev's generated who-said questions: the gold speaker named.
Each row is measured with every attribution usable (min_confidence 0, the baseline) and with the fitted threshold,
in the same run; `--sweep` also tries the relevance threshold (the who-said and did-say bars are the matcher's,
fitted by bench/fit_matcher.py).

    python -m bench.whatsaid [--sweep] [--limit N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench.attribution import corrected
from bench.common import CORPORA, DATA, jsonl, lines, save
from bench.qa import speaker_named
from bot.engine import Engine, build_engine
from bot.settings import Settings
from index.embed.transformer import SentenceTransformerEmbedder
from index.models import Article
from index.text.lexicon import FEMALE_NAMES, HONORIFICS, MALE_NAMES, STOPWORDS, TITLES
from index.text.names import name_words

SPEAKERS = 20
GENERIC = {"people", "thing", "time", "year", "way", "lot", "day", "week", "month", "something", "anything"}


def surname(name: str) -> str:
    words = [w for w in name_words(name) if w not in TITLES and w not in HONORIFICS]
    return words[-1] if words else ""


def top_speakers(gold: list[dict]) -> list[tuple[str, str, list[dict]]]:
    """(display name, surname, their gold attributions) of the most-quoted speakers by reliable gold names."""
    by_surname: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        if g["speaker_name"] and g["speaker_name_method"] in ("span", "appos") and surname(g["speaker_name"]):
            by_surname[surname(g["speaker_name"])].append(g)
    speakers = []
    for last, quotes in sorted(by_surname.items(), key=lambda item: len(item[1]), reverse=True):
        forms = Counter(_person(g["speaker_name"]) for g in quotes) - Counter({None: len(quotes)})
        if forms and len(speakers) < SPEAKERS:
            speakers.append((forms.most_common(1)[0][0], last, quotes))
    return speakers


def _person(name: str) -> str | None:
    """ "Ohio Gov. John Kasich" -> "John Kasich": from a common first name on, else the words after a title
    ("Sen. Lindsey Graham" -> "Lindsey Graham"), else None (a group, "House Republicans", or a surname alone): the
    speakers asked about are people."""
    words = [w.strip(".,") for w in name.split()]
    for i, word in enumerate(words):
        if word.lower() in MALE_NAMES | FEMALE_NAMES and len(words) - i >= 2:
            return " ".join(words[i:])
    titled = [i for i, w in enumerate(words) if w.lower() in TITLES | HONORIFICS]
    if titled and len(words) - titled[-1] - 1 >= 2:
        return " ".join(words[titled[-1] + 1 :])
    return None


def nouns(nlp, texts: list[str]) -> list[Counter]:
    return [
        Counter(
            t.lemma_.lower()
            for t in doc
            if t.pos_ == "NOUN" and t.is_alpha and len(t) > 3 and t.lemma_.lower() not in STOPWORDS | GENERIC
        )
        for doc in nlp.pipe(texts, batch_size=16)
    ]


def questions(nlp, speakers, articles: list[dict]) -> list[dict]:
    article_nouns = nouns(nlp, [a["text"] for a in articles])
    asked = []
    for name, last, quotes in speakers:
        own = sum(nouns(nlp, [g["quote"] for g in quotes]), Counter())
        mine = [w for w, _ in own.most_common(3)]
        broad = Counter()
        for article, counted in zip(articles, article_nouns, strict=True):
            if last in article["text"].lower():
                broad.update(counted)
        wide = [w for w, _ in broad.most_common(10) if w not in mine][:3]
        for topic, kind in [(t, "own") for t in mine] + [(t, "broad") for t in wide]:
            asked.append({"speaker": name, "surname": last, "topic": topic, "kind": kind})
    return asked


def statement_right(citation, last: str, gold_by_article: dict[str, list[dict]]) -> bool:
    for g in gold_by_article.get(citation.article_id, []):
        if any(s < citation.end and citation.start < e for s, e in g["quote_spans"]):
            names = f"{g['speaker_name'] or ''} {g['speaker'] or ''}"
            if last in name_words(names):
                return True
    return False


def what_said(engine: Engine, asked: list[dict], gold_by_article, show: int = 0) -> dict:
    right = shown = answered = useful = unsure = crashes = 0
    for q in asked:
        try:
            answer = engine.ask(f"What did {q['speaker']} say about {q['topic']}?")
        except Exception:  # counted: a question must never crash
            crashes += 1
            continue
        if not answer.found:
            unsure += bool(answer.citations)
            continue
        answered += 1
        good = [statement_right(c, q["surname"], gold_by_article) for c in answer.citations]
        for c, ok in zip(answer.citations, good, strict=True):
            if not ok and show > 0:
                show -= 1
                golds = [
                    g["speaker"]
                    for g in gold_by_article.get(c.article_id, [])
                    if any(s < c.end and c.start < e for s, e in g["quote_spans"])
                ]
                print(
                    f"  wrong: {q['speaker']} / {q['topic']}: {c.text[:150]!r} gold sources {golds} "
                    f"({c.article_id} {c.start})"
                )
        right += sum(good)
        shown += len(good)
        useful += any(good)
    n = len(asked)
    return {
        "precision": right / shown if shown else 0.0,
        "with_a_right_statement": useful / n,
        "answered": answered / n,
        "shown_unsure": unsure / n,
        "statements": shown,
        "crashes": crashes,
        "questions": n,
    }


def refusals(engine: Engine, near_misses: list[str]) -> float:
    return sum(not engine.ask(q).found for q in near_misses) / len(near_misses)


def who_said_named(engine: Engine, generated: list[dict]) -> float:
    named = 0
    for q in generated:
        answer = engine.ask(q["question"])
        named += answer.found and speaker_named(answer, q)
    return named / len(generated)


def measure(engine: Engine, asked, gold_by_article, near_misses, generated, show: int = 0) -> dict:
    return {
        "what_said": what_said(engine, asked, gold_by_article, show),
        "near_miss_refused": refusals(engine, near_misses),
        "dev_who_said_speaker_named": who_said_named(engine, generated),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sweep", action="store_true", help="also try relevance thresholds")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles (a quick look)")
    parser.add_argument("--store", type=Path, help="keep the store here and reuse it when it exists")
    parser.add_argument("--show", type=int, default=0, help="print N statements judged wrong")
    args = parser.parse_args()
    articles = [a for a in jsonl(CORPORA / "polnear" / "articles.jsonl") if a["split"] != "test"]
    articles = articles[: args.limit] if args.limit else articles
    ids = {a["id"] for a in articles}
    gold = corrected([g for g in jsonl(CORPORA / "polnear" / "quotes.jsonl") if g["article_id"] in ids])
    gold_by_article: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        gold_by_article[g["article_id"]].append(g)
    generated = [q for q in jsonl(CORPORA / "polnear" / "qa_who_said.jsonl") if q["article_id"] in ids]
    generated = [q for q in generated if q["split"] == "dev"]
    near_misses = lines(DATA / "near_miss_whosaid.txt")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.store or Path(tmp)
        reuse = (folder / "store.sqlite").exists()
        engine = build_engine(Settings(data_dir=folder), embedder=SentenceTransformerEmbedder())
        start = time.perf_counter()
        if not reuse:
            engine.library.ingest(Article.model_validate(a) for a in articles)
        print(f"store: {len(articles)} articles in {time.perf_counter() - start:.0f} s", flush=True)
        asked = questions(engine.library.extractor.nlp, top_speakers(gold), articles)
        policy = engine.settings.quotes
        fitted = policy.confidence_needed
        rows = {}
        for label, needed in (("every attribution (baseline)", 0.0), (f"confidence >= {fitted:.3f}", fitted)):
            policy.min_confidence = needed
            rows[label] = measure(engine, asked, gold_by_article, near_misses, generated, args.show if needed else 0)
            print(label, rows[label], flush=True)
        base, ours = rows.values()
        ratio = ours["what_said"]["precision"] / base["what_said"]["precision"] if base["what_said"]["precision"] else 0
        print(f"what-said precision, fitted / baseline: {ratio:.2f}x")
        if args.sweep:
            rows["sweep"] = sweep(engine, asked, gold_by_article, near_misses, generated)
        engine.close()
    save("whatsaid", {"articles": len(articles), "questions": asked, "rows": rows})


def sweep(engine: Engine, asked, gold_by_article, near_misses, generated) -> dict:
    policy = engine.settings.quotes
    defaults = (policy.relevance,)
    found = {}
    for relevance in (0.4, 0.45, 0.5, 0.55, 0.6):
        policy.relevance = relevance
        found[f"relevance {relevance}"] = {
            "what_said": what_said(engine, asked, gold_by_article),
            "near_miss_refused": refusals(engine, near_misses[:20]),
        }
        print(f"relevance {relevance}", found[f"relevance {relevance}"], flush=True)
    policy.relevance = defaults[0]
    return found


if __name__ == "__main__":
    main()
