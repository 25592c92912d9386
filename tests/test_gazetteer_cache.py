"""The gazetteer's disk cache: keyed on content, one file per city set, reused by later processes."""

from __future__ import annotations

from rashomon.nlp.gazetteer import Gazetteer


def test_cache_is_reused_and_replaces_stale_files(tmp_path, monkeypatch):
    stale = tmp_path / "gazetteer-v3-0123456789-cities15000-29665391-1795293044.pickle"
    other = tmp_path / "gazetteer-v3-0123456789-cities5000-abcdef0123.pickle"
    stale.write_bytes(b"an index of an older install")
    other.write_bytes(b"another city set's index")
    first = Gazetteer(15000, cache_dir=tmp_path)
    kept = sorted(p.name for p in tmp_path.glob("gazetteer-*cities15000*.pickle"))
    assert len(kept) == 1 and kept[0] != stale.name          # the stale file of this city set is gone
    assert other.exists()                                    # another city set's is not touched

    def no_build(*args):
        raise AssertionError("the cached index should have been loaded")
    monkeypatch.setattr(Gazetteer, "_build", staticmethod(no_build))
    again = Gazetteer(15000, cache_dir=tmp_path)
    assert again.lookup("Aleppo") == first.lookup("Aleppo")
    assert sorted(p.name for p in tmp_path.glob("gazetteer-*cities15000*.pickle")) == kept
