"""The article-extraction-benchmark metric: word 4-gram shingles, per-page normalized.

Per page, TP/FP/FN over shingle counts are divided by their sum; precision is averaged over
pages with output, recall over pages with a truth, and F1 is their harmonic mean.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1))
                   if tokens[i : i + n])


def tp_fp_fn(truth: str, predicted: str) -> tuple[float, float, float]:
    true, pred = shingles(truth), shingles(predicted)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def score(pairs: list[tuple[float, float, float]]) -> dict[str, float]:
    precision = statistics.mean([_precision(*p) for p in pairs if p[0] + p[1] > 0] or [0.0])
    recall = statistics.mean([_recall(*p) for p in pairs if p[0] + p[2] > 0] or [0.0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def token_f1(truth: str, predicted: str) -> float:
    """Bag-of-words F1 of one page (the corpus tests' measure)."""
    true, pred = Counter(_TOKEN.findall(truth.lower())), Counter(_TOKEN.findall(predicted.lower()))
    tp = sum((true & pred).values())
    if not tp:
        return 0.0
    p, r = tp / sum(pred.values()), tp / sum(true.values())
    return 2 * p * r / (p + r)
