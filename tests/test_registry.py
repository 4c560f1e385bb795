from pathlib import Path

import pytest

from scraper.registry import RegistryError, Site, dump_registry, load_registry, select_sites

GOOD = """
[[site]]
id = "sonla-dukcqdn"
name = "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Sơn La"
url = "https://example.gov.vn/"
province = "Sơn La"
cms = "nukeviet"
start_urls = ["/news/", "https://example.gov.vn/news/xay-dung-dang/"]
schedule = "*/30 * * * *"

[[site]]
id = "other"
name = "Other"
url = "http://other.example/"
enabled = false
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_and_resolves_relative_urls(tmp_path):
    sites = load_registry(write(tmp_path, GOOD))
    assert [s.id for s in sites] == ["sonla-dukcqdn", "other"]
    first = sites[0]
    assert first.province == "Sơn La" and first.cms == "nukeviet" and first.enabled
    assert first.start_urls == ("https://example.gov.vn/news/",
                                "https://example.gov.vn/news/xay-dung-dang/")
    assert first.host == "example.gov.vn"
    assert sites[1].enabled is False


def test_select_sites_defaults_to_enabled_and_rejects_unknown(tmp_path):
    sites = load_registry(write(tmp_path, GOOD))
    assert [s.id for s in select_sites(sites)] == ["sonla-dukcqdn"]
    assert [s.id for s in select_sites(sites, ["other"])] == ["other"]
    with pytest.raises(RegistryError, match="no site 'nope'"):
        select_sites(sites, ["nope"])


def test_dump_round_trips(tmp_path):
    sites = load_registry(write(tmp_path, GOOD))
    again = load_registry(write(tmp_path, dump_registry(sites)))
    assert again == sites


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('id = "x"\nname = "X"', "site 'x': key 'url': required"),
        ('id = "Bad_Id"\nname = "X"\nurl = "https://a.vn/"', "site 'Bad_Id': key 'id'"),
        ('id = "x"\nname = "X"\nurl = "ftp://a.vn/"', "site 'x': key 'url': must be an http"),
        ('id = "x"\nname = "X"\nurl = "https://a.vn/"\ncms = "drupal"', "site 'x': key 'cms'"),
        ('id = "x"\nname = "X"\nurl = "https://a.vn/"\nenabled = "yes"',
         "site 'x': key 'enabled': must be a bool"),
        ('id = "x"\nname = "X"\nurl = "https://a.vn/"\nstart_url = ["/"]',
         "site 'x': key 'start_url': unknown key"),
        ('id = "x"\nname = "X"\nurl = "https://a.vn/"\nschedule = "hourly"',
         "site 'x': key 'schedule'"),
        ('name = "X"\nurl = "https://a.vn/"', "site #1: key 'id': required"),
    ],
)
def test_bad_entry_names_file_site_and_key(tmp_path, entry, message):
    path = write(tmp_path, f"[[site]]\n{entry}\n")
    with pytest.raises(RegistryError) as info:
        load_registry(path)
    text = str(info.value)
    assert text.startswith(str(path))
    assert message in text
    assert "\n" not in text


def test_duplicate_ids_and_bad_toml(tmp_path):
    dup = '[[site]]\nid="a"\nname="A"\nurl="https://a.vn/"\n' * 2
    with pytest.raises(RegistryError, match="site 'a': key 'id': duplicate"):
        load_registry(write(tmp_path, dup))
    with pytest.raises(RegistryError, match="not valid TOML"):
        load_registry(write(tmp_path, "[[site]\n"))
    with pytest.raises(RegistryError, match="no such registry file"):
        load_registry(tmp_path / "missing.toml")


def test_site_is_frozen():
    site = Site(id="a", name="A", url="https://a.vn/")
    with pytest.raises(AttributeError):
        site.id = "b"  # type: ignore[misc]


def test_the_shipped_registry_loads_and_waits_for_a_first_crawl():
    shipped = load_registry(Path(__file__).resolve().parents[1] / "sites.toml")
    assert len(shipped) >= 5
    assert not select_sites(shipped)  # nothing enabled before a crawl has succeeded
