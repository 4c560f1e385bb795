"""The generic profile beside trafilatura on 181 real news pages nobody here wrote.

Usage: python bench/generic_benchmark.py [BENCHMARK_DIR]
(default: ../shared/extraction-benchmark beside the project). Both extractors run in this one
process on the same decoded pages; the metric is the benchmark's own (bench/shingles.py).
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.shingles import score, tp_fp_fn  # noqa: E402
from scraper.extract import decode_page, extract_page  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "extraction-benchmark"


def load(folder: Path) -> list[tuple[str, str, str]]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key, item in sorted(truth.items()):
        raw = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        pages.append((item.get("url") or f"https://example.com/{key}", decode_page(raw),
                      item.get("articleBody", "")))
    return pages


def ours(html: str, url: str) -> str:
    try:
        return extract_page(html, url, cms="generic").text
    except ValueError:
        return ""


def theirs(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url, include_comments=False) or ""


def run(pages: list[tuple[str, str, str]]) -> dict[str, dict[str, float]]:
    results = {}
    for name, extractor in (("trafilatura", theirs), ("generic profile", ours)):
        start = time.perf_counter()
        pairs = [tp_fp_fn(truth, extractor(html, url)) for url, html, truth in pages]
        elapsed = time.perf_counter() - start
        results[name] = {**score(pairs), "pages_per_second": len(pages) / elapsed}
    return results


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    if not (folder / "ground-truth.json").exists():
        sys.exit(f"{folder}: no ground-truth.json (pass the benchmark folder)")
    pages = load(folder)
    results = run(pages)
    print(f"{len(pages)} pages from {folder.name}")
    print(f"{'extractor':<16} {'precision':>9} {'recall':>7} {'F1':>7} {'pages/s':>8}")
    for name, r in results.items():
        print(f"{name:<16} {r['precision']:9.4f} {r['recall']:7.4f} {r['f1']:7.4f} "
              f"{r['pages_per_second']:8.1f}")
    base = results["trafilatura"]
    mine = results["generic profile"]
    print(f"ratio generic/trafilatura: F1 {mine['f1'] / base['f1']:.4f}, "
          f"speed {mine['pages_per_second'] / base['pages_per_second']:.2f}")


if __name__ == "__main__":
    main()
