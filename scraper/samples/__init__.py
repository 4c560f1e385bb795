"""The bundled sample sites: static mirrors of real CMS templates, served on 127.0.0.1."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..registry import Site

SITES_DIR = Path(__file__).parent / "sites"


@dataclass(frozen=True, slots=True)
class SampleSite:
    id: str
    name: str
    province: str
    cms: str
    folder: str
    start_paths: tuple[str, ...]
    notice_paths: tuple[str, ...] = ()

    @property
    def root(self) -> Path:
        return SITES_DIR / self.folder

    def site(self, base_url: str) -> Site:
        """The registry entry for this sample served at base_url."""
        base = base_url.rstrip("/")
        return Site(
            id=self.id, name=self.name, url=base + "/", province=self.province, cms=self.cms,
            start_urls=tuple(base + p for p in self.start_paths),
            notice_urls=tuple(base + p for p in self.notice_paths),
        )


SAMPLE_SITES = (
    SampleSite(
        id="sonla-dukcqdn",
        name="Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Sơn La",
        province="Sơn La",
        cms="nukeviet",
        folder="nukeviet",
        start_paths=("/news/xay-dung-dang/",),
        notice_paths=("/news/thong-bao/",),
    ),
    SampleSite(
        id="binhthuan-baodientu",
        name="Báo Bình Thuận điện tử",
        province="Bình Thuận",
        cms="onecms",
        folder="onecms",
        start_paths=("/xay-dung-dang/",),
        notice_paths=("/thong-bao/",),
    ),
)
