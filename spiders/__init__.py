"""One spider and one profile per CMS family."""

from __future__ import annotations

from .base import CmsSpider
from .generic import GenericProfile, GenericSpider
from .liferay import LiferayProfile, LiferaySpider
from .nukeviet import NukeVietProfile, NukeVietSpider
from .onecms import OneCmsProfile, OneCmsSpider
from .profile import CmsProfile
from .vhv import VhvProfile, VhvSpider
from .wordpress import WordPressProfile, WordPressSpider

PROFILES: dict[str, type[CmsProfile]] = {
    p.name: p for p in (
        NukeVietProfile, OneCmsProfile, VhvProfile, LiferayProfile, WordPressProfile, GenericProfile
    )
}
SPIDERS: dict[str, type[CmsSpider]] = {
    s.name: s for s in (
        NukeVietSpider, OneCmsSpider, VhvSpider, LiferaySpider, WordPressSpider, GenericSpider
    )
}


def detect_profile(html: str) -> type[CmsProfile]:
    """The CMS family whose fingerprints the page carries; the generic profile otherwise."""
    for profile in PROFILES.values():
        if profile is not GenericProfile and profile.matches(html):
            return profile
    return GenericProfile


def spider_for(cms: str | None) -> type[CmsSpider]:
    """The family's spider; the detecting base spider when the CMS is not known."""
    return SPIDERS.get(cms or "", CmsSpider)
