"""The photo sets are data (train/data/photo_sets.yaml) read by one fetcher (train/data/fetch.py): the manifest keeps
the judging sets disjoint from everything else, and an output folder is replaced whole or not at all. Offline."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "train" / "data" / "fetch.py"


@pytest.fixture(scope="module")
def fetch():
    spec = importlib.util.spec_from_file_location("fetch_photo_sets", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _manifest(tmp_path: Path, sets: dict, elsewhere=()) -> Path:
    p = tmp_path / "sets.yaml"
    p.write_text(yaml.safe_dump({"used_elsewhere": list(elsewhere), "sets": sets}))
    return p


def _set(spec: str, sha: str, out: str) -> dict:
    return {"purpose": "judge", "out": out, "packages": [{"npm": spec, "photos": {"a": ["img/a.jpg", sha]}}]}


def test_the_manifest_loads_and_its_sets_share_nothing(fetch):
    sets = fetch.load_manifest()  # raises on a package, file or folder shared by two sets
    judge = [n for n, s in sets.items() if s["purpose"] == "judge"]
    assert judge[:3] == ["unseen", "confirm", "final"] and len(judge) == 8
    for name in judge:
        assert sets[name]["photos"] and (ROOT / "train" / "data" / sets[name]["doc"]).is_file()
        assert all(r["out"].startswith(r["pkg"].key.lower() + "__") for r in sets[name]["photos"])


@pytest.mark.parametrize(
    "sets, elsewhere, message",
    [
        ({"a": _set("x@1.0.0", "1" * 64, "a"), "b": _set("x@2.0.0", "2" * 64, "b")}, (), "in two sets"),
        ({"a": _set("x@1.0.0", "1" * 64, "a"), "b": _set("y@1.0.0", "1" * 64, "b")}, (), "both read a file"),
        ({"a": _set("x@1.0.0", "1" * 64, "a"), "b": _set("y@1.0.0", "2" * 64, "a")}, (), "write the same folder"),
        ({"a": _set("pastiche@1.0.0", "1" * 64, "a")}, ("pastiche",), "another step of the project"),
    ],
)
def test_sets_that_overlap_are_refused(fetch, tmp_path, sets, elsewhere, message):
    with pytest.raises(fetch.FetchError, match=message):
        fetch.load_manifest(_manifest(tmp_path, sets, elsewhere))


def test_an_output_folder_is_replaced_whole_or_not_at_all(fetch, tmp_path):
    out = tmp_path / "set"
    with fetch.staged(out) as (tmp, result):
        (tmp / "p__a.jpg").write_bytes(b"a")
    assert result["written"] and sorted(p.name for p in out.iterdir()) == ["p__a.jpg"]
    mtime = (out / "p__a.jpg").stat().st_mtime_ns
    with fetch.staged(out) as (tmp, result):  # the same files: nothing rewritten
        (tmp / "p__a.jpg").write_bytes(b"a")
    assert not result["written"] and (out / "p__a.jpg").stat().st_mtime_ns == mtime
    with pytest.raises(RuntimeError), fetch.staged(out) as (tmp, result):  # a failure halfway: out as it was
        (tmp / "p__b.jpg").write_bytes(b"b")
        raise RuntimeError
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set"]
    assert sorted(p.name for p in out.iterdir()) == ["p__a.jpg"]
    out.rename(tmp_path / ".set.old")  # killed between the two renames: the old folder is put back
    with fetch.staged(out) as (tmp, result):
        (tmp / "p__b.jpg").write_bytes(b"b")
    assert sorted(p.name for p in out.iterdir()) == ["p__b.jpg"] and not (tmp_path / ".set.old").exists()


def test_pool_names(fetch):
    generic = ["photo", "background"]
    taken: set[str] = set()
    names = []
    for p in ["a/Big Tree.JPG", "themes/x/images/photo.png", "themes/y/images/photo.png", "b/big_tree.jpg"]:
        names.append(fetch.short_name(p, taken, generic))
        taken.add(names[-1])
    assert names == ["big-tree", "images-photo", "images-photo-x", "b-big-tree"]


def test_a_bad_set_name_is_one_line(tmp_path):
    r = subprocess.run([sys.executable, str(SCRIPT), "no-such-set", "--data", str(tmp_path)],
                       capture_output=True, text=True)
    assert r.returncode == 1 and r.stdout == "" and r.stderr.count("\n") == 1
    assert r.stderr.startswith("error: unknown photo set 'no-such-set'; choose from debian_images, train_photos")
    assert not any(tmp_path.iterdir())
