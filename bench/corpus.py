"""The hand-labelled extraction corpus (tests/fixtures/pages): loading and per-page scoring."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import lxml.html

from bench.shingles import token_f1

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "pages"


@dataclass(frozen=True)
class CorpusPage:
    family: str  # the folder: the CMS family, or "generic"
    name: str
    url: str
    body: bytes
    content_type: str | None
    gold: dict

    @property
    def gold_text(self) -> str:
        return "\n\n".join(self.gold["paragraphs"])


def load_corpus(root: Path = CORPUS) -> list[CorpusPage]:
    pages = []
    for meta_file in sorted(root.glob("*/meta.json")):
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        for name, info in sorted(meta.items()):
            page = meta_file.parent / name
            gold = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
            pages.append(CorpusPage(meta_file.parent.name, page.stem, info["url"],
                                    page.read_bytes(), info.get("content_type"), gold))
    return pages


def visible(html: str) -> str:
    """What a reader sees of an HTML fragment: its text and alt texts, not its URLs."""
    if not html.strip():
        return ""
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    return " ".join([tree.text_content(), *tree.xpath("//img/@alt")])


def boilerplate_found(page: CorpusPage, text: str, html: str = "") -> list[str]:
    """Gold boilerplate strings that reached the extracted text or what the HTML shows."""
    shown = visible(html)
    return [b for b in page.gold["boilerplate"] if b in text or b in shown]


def text_f1(page: CorpusPage, text: str) -> float:
    return token_f1(page.gold_text, text)
