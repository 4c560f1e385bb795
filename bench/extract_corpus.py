"""Our extractor beside trafilatura on the hand-labelled corpus, in one run.

Usage: python bench/extract_corpus.py [ROUNDS]
Prints, for each: mean token F1 against the gold paragraphs, pages where any gold boilerplate
string reached the output, and pages per second (best of ROUNDS passes over the corpus).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import CorpusPage, boilerplate_found, load_corpus, text_f1  # noqa: E402
from scraper.extract import decode_page, extract_page  # noqa: E402

GUARD_FIRED: dict[str, int] = {}


def ours(page: CorpusPage, html: str) -> tuple[str, str]:
    cms = None if page.family == "generic" else page.family
    record = extract_page(html, page.url, cms)
    GUARD_FIRED[page.name] = record.guard_hits
    return record.text, record.html


def theirs(page: CorpusPage, html: str) -> tuple[str, str]:
    return trafilatura.extract(html, url=page.url, include_comments=False) or "", ""


Extractor = Callable[[CorpusPage, str], tuple[str, str]]


def measure(pages: list[tuple[CorpusPage, str]], extractor: Extractor,
            rounds: int) -> dict[str, float]:
    outputs = [extractor(page, html) for page, html in pages]
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for page, html in pages:
            extractor(page, html)
        best = min(best, time.perf_counter() - start)
    return {
        "f1": statistics.mean(text_f1(p, text) for (p, _), (text, _) in
                              zip(pages, outputs, strict=True)),
        "boilerplate_pages": sum(bool(boilerplate_found(p, text, html)) for (p, _), (text, html)
                                 in zip(pages, outputs, strict=True)),
        "pages_per_second": len(pages) / best,
    }


def bench_extraction(rounds: int = 5) -> dict:
    """Both extractors over the corpus in this process: F1, boilerplate pages, pages/s."""
    pages = [(p, decode_page(p.body, p.content_type)) for p in load_corpus()]
    return {"pages": len(pages), "rounds": rounds,
            "families": sorted({p.family for p, _ in pages}),
            "trafilatura": measure(pages, theirs, rounds), "ours": measure(pages, ours, rounds)}


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    bench = bench_extraction(rounds)
    results = {name: bench[name] for name in ("trafilatura", "ours")}
    print(f"{bench['pages']} corpus pages ({', '.join(bench['families'])}), "
          f"best of {rounds} rounds")
    print(f"{'extractor':<12} {'mean F1':>8} {'boilerplate pages':>18} {'pages/s':>8}")
    for name, r in results.items():
        print(f"{name:<12} {r['f1']:8.4f} {r['boilerplate_pages']:18d} {r['pages_per_second']:8.1f}")
    base, mine = results["trafilatura"], results["ours"]
    print(f"ratio ours/trafilatura: F1 {mine['f1'] / base['f1']:.4f}, "
          f"speed {mine['pages_per_second'] / base['pages_per_second']:.2f}")
    fired = sorted(name for name, hits in GUARD_FIRED.items() if hits)
    print(f"phrase guard fired on {len(fired)} of {bench['pages']} pages"
          + (f": {', '.join(fired)}" if fired else ""))


if __name__ == "__main__":
    main()
