#!/usr/bin/env bash
# Training photographs: a broad pool of real photos from Debian packages, for distillation TRAINING only.
#
# The student imitates the teacher's filter on whatever it is shown and generalizes poorly to content it
# never saw, so this pool adds real photographs of many kinds: snow, fog, night and dark scenes, pale
# subjects on pale backgrounds, macro and close-ups, portraits, animals, indoor rooms, food, sky, the
# moon, astronomy and a few grayscale ones. Every kept file is a photograph of a real scene (no renders,
# drawings, icons, screenshots, charts or texture tiles): the EXCLUDE list below removes what a look at
# contact sheets showed is not. What each package gives is in train/data/train_photos_sources.md.
#
# RULE: this pool is for TRAINING only. None of these packages may ever be added to the judging sets'
# scripts (fetch_unseen.sh, fetch_confirm.sh, fetch_final.sh), and none of the packages those scripts,
# fetch_debian_images.sh or opencv-doc read is used here.
#
#   bash train/data/fetch_train_photos.sh DATA_DIR
#
# DATA_DIR/train_photos_dl/  the pinned .deb files (apt-get download NAME=VER, each checked against its
#                            SHA-256 below) and the files taken out of them (train_photos_dl/x/PACKAGE/)
# DATA_DIR/train_photos/     the photos, <package>__<name>.jpg (JPEG quality 95, longest side <= 1600 px,
#                            larger ones downscaled with area interpolation; grayscale stored as RGB)
#
# Selection: each package's files that match its include patterns, minus EXCLUDE; files whose short side
# is under 300 px are skipped, and so is a photo whose perceptual hash (64-bit DCT hash) is within a few
# bits of one already kept (exact and near duplicates: the same photo at another size or in grayscale).
# Deterministic and idempotent: downloads happen once, a .deb whose SHA-256 differs stops the script, and
# a rerun rewrites nothing (the outputs are byte-identical). Needs Debian's apt-get and dpkg-deb and the
# venv's numpy, opencv and Pillow; ~520 MB of downloads stay in train_photos_dl/ (safe to delete).
set -euo pipefail
DATA=${1:?usage: bash train/data/fetch_train_photos.sh DATA_DIR}
source "$(dirname "$0")/fetch_lib.sh"
photo_set_dirs train_photos deb

# NAME=VERSION SHA-256-of-the-.deb
DEBS="
enlightenment-data=0.25.4-2 205df83b80b3a999757b07d7ad1908332c96c6edae559548346bc8af4f292bef
kphotoalbum=5.9.1-1 00f8b26b5db1beb30a822d15f464b3c68ffa556d267870aa98a59aaaaf81ec43
lxqt-themes=1.2.0-1 d518df36b515b09d36cb00b12645dd8ce170bb82bb0966297741905ce3edc8e1
python3-skimage=0.19.3-8 728d88c3e3440f1f3712de0805dc834d29248ff07e1eec8c0f3da07606f752f9
tuxtype-data=1.8.3-5.1 62f85e2c6d6820efbaf1d914039b50c070bf5899b1d1d14aea00cebca14f4c78
libjxl-testdata=0.0~git20230110.d6168ff-1 a58523413f486760a0f3cbc931142a27e3aa25f77315b862046f089ed34aa2c7
qtbase5-examples=5.15.8+dfsg-11+deb12u3 5d4ccd7f761ff34d806c06c0ae770824517b6ad8092fb4de6ebd25c2728ded08
qtdeclarative5-examples=5.15.8+dfsg-3 1602b071cdf66fa4711a47e0e341f4a4f70127c3ebfd7bbef1206a24dd488108
nip2=8.7.1-4 3231d9b19fc3c080b1b8fcea829603b7c910e006dfe4bb68d841df41add5b86b
cimg-examples=3.2.1+dfsg-1 35e7cca321047041b70b079a543407e13411cac44367a9e023779eaf425cede3
libsixel-examples=1.10.3-3 0829a733103696aeaedd2aeb5b3971b58beba943b59b47d5ce8f9618decefefc
puzzle-jigsaw=1.0.2+git20201007.527c529+dfsg-4+b1 f0c23ba52d3465c9c795ba97024b6968d4b30fbca6e886813ba216047462958e
"

# --- downloads (fetch_lib.sh) -----------------------------------------------------------------------------
fetch_debs --sha "$DEBS"

# --- extraction and the photos (photo_sets.py) ------------------------------------------------------------
with_photo_sets nice -n 19 "$PY" - "$DL" "$DATA/train_photos" <<'EOF'
import fnmatch, io, os, re, struct, subprocess, sys, tarfile
import cv2
import numpy as np
from PIL import Image, ImageOps
from photo_sets import find_archive, fit, prune, transparent, write_jpeg

cv2.setNumThreads(1)
DL, OUT = sys.argv[1], sys.argv[2]
X = os.path.join(DL, "x")

SK = "usr/lib/python3/dist-packages/skimage/data/"
QT = "usr/lib/x86_64-linux-gnu/qt5/examples/"

# package -> include patterns (paths inside the package; fnmatch, "*" also crosses "/")
SOURCES = {
    "enlightenment-data": ["usr/share/enlightenment/data/backgrounds/*.edj"],
    "kphotoalbum": ["usr/share/kphotoalbum/demo/*.jpg"],
    "lxqt-themes": ["usr/share/lxqt/wallpapers/*"],
    # skimage's astronaut, chelsea, coffee, rocket, hubble_deep_field, retina and motorcycle photos and sklearn's
    # china and flower are already training inputs (`edgegan data samples`): only the others are taken here
    "python3-skimage": [SK + n for n in ("camera.png", "cell.png", "coins.png", "ihc.png", "moon.png")],
    "tuxtype-data": ["usr/share/tuxtype/images/backgrounds/*.jpg", "usr/share/tuxtype/images/kcas*.jpg",
                     "usr/share/tuxtype/images/hidden.jpg", "usr/share/tuxtype/themes/*/images/photo.png"],
    "libjxl-testdata": ["usr/share/libjxl-testdata/jxl/flower/flower.png", "usr/share/libjxl-testdata/jxl/hdr_room.png",
                        "usr/share/libjxl-testdata/external/wesaturate/500px/*_srgb8.png"],
    "qtbase5-examples": [QT + "widgets/painting/affine/bg1.jpg", QT + "widgets/painting/composition/flower.jpg",
                         QT + "widgets/graphicsview/weatheranchorlayout/images/place.jpg"],
    "qtdeclarative5-examples": [QT + "quick/customitems/scrollbar/pics/niagara_falls.jpg",
                                QT + "quick/particles/images/backgroundLeaves.jpg"],
    "nip2": ["usr/share/doc/nip2/examples/1_point_mosaic/cd1.1.jpg", "usr/share/doc/nip2/examples/1_point_mosaic/cd3.2.jpg",
             "usr/share/doc/nip2/examples/businesscard/slanted_oval_vase2.jpg"],
    "cimg-examples": ["usr/share/doc/cimg-dev/examples/img/milla.bmp", "usr/share/doc/cimg-dev/examples/img/parrot.ppm"],
    "libsixel-examples": ["usr/share/doc/libsixel-examples/examples/images/snake.png"],
    "puzzle-jigsaw": ["usr/share/puzzle-jigsaw/samples/*"],
}

# files that match an include pattern but are not photographs of real scenes (seen on contact sheets)
EXCLUDE = {"enlightenment-data/usr/share/enlightenment/data/backgrounds/" + n
           for n in ("Dunes.edj", "Flat-Fan.edj", "Flat-Stone-Pattern.edj", "Paper-Flower.edj", "Squiggle.edj",
                     "Squiggle-Dark.edj", "Squiggle-Light.edj", "Squiggle-Mid.edj")} | {
           "lxqt-themes/usr/share/lxqt/wallpapers/" + n
           for n in ("lxqt-origami-green.png", "origami-bright-logo.png", "origami-dark.png", "origami-light.png",
                     "plasma-logo-bright.png", "plasma-logo-dark.png", "plasma_arch.png", "simple_blue_widescreen.png",
                     "kde-plasma.png", "triangles-logo.png", "triangles.png", "waves-logo.png",
                     "waves-purple-logo.jpg")}

IMG = re.compile(r"\.(jpe?g|png|bmp|ppm|pgm|tiff?|edj)$", re.I)


def extract(pkg):
    """Takes the matching files out of the package once (X/pkg/, with a list of them headed by the patterns it
    was made with) and returns the list."""
    root = os.path.join(X, pkg)
    listing = os.path.join(root, ".files")
    sig = repr(SOURCES[pkg])
    if os.path.isfile(listing):
        lines = open(listing).read().split("\n")[:-1]
        if lines and lines[0] == sig and all(os.path.isfile(os.path.join(root, p)) for p in lines[1:]):
            return lines[1:]
    deb = find_archive(DL, pkg, debs=SOURCES)
    raw = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE, check=True).stdout
    files = []
    with tarfile.open(fileobj=io.BytesIO(raw)) as t:
        for m in t.getmembers():
            p = m.name[2:] if m.name.startswith("./") else m.name
            if m.isfile() and IMG.search(p) and any(fnmatch.fnmatchcase(p, pat) for pat in SOURCES[pkg]):
                dst = os.path.join(root, p)
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                with open(dst + ".tmp", "wb") as f:
                    f.write(t.extractfile(m).read())
                os.replace(dst + ".tmp", dst)
                files.append(p)
    del raw
    files.sort()
    with open(listing + ".tmp", "w") as f:
        f.write("".join(p + "\n" for p in [sig] + files))
    os.replace(listing + ".tmp", listing)
    return files


def edj_photo(path):
    """An Enlightenment .edj background is an Eet archive: the photo is stored as plain JPEGs at several
    sizes (entries edje/images/N, uncompressed); take the largest."""
    d = open(path, "rb").read()
    magic, n, _ = struct.unpack(">III", d[:12])
    if magic != 0x1EE70F42:
        sys.exit(f"{path}: not an Eet file")
    best = None
    for i in range(n):
        off, size, dsize, _, _, flags = struct.unpack(">6I", d[12 + 24 * i:36 + 24 * i])
        if flags == 0 and size == dsize and d[off:off + 3] == b"\xff\xd8\xff" and (best is None or size > best[1]):
            best = (off, size)
    if best is None:
        return None
    return Image.open(io.BytesIO(d[best[0]:best[0] + best[1]]))


def load(path):
    im = edj_photo(path) if path.endswith(".edj") else Image.open(path)
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


def phash(rgb):
    g = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    g = cv2.resize(g, (32, 32), interpolation=cv2.INTER_AREA)
    c = cv2.dct(g)[:8, :8].flatten()
    return int("".join("1" if v > np.median(c[1:]) else "0" for v in c), 2)


def short_name(pkg, p, taken):
    stem = os.path.splitext(os.path.basename(p))[0]
    name = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    parent = re.sub(r"[^a-z0-9]+", "-", os.path.basename(os.path.dirname(p)).lower()).strip("-")
    if name in taken or name in ("background", "photo", "image", "example-im-01", "example-im-02", "content"):
        name = parent + "-" + name
    while name in taken:
        name += "-x"
    return name


names, hashes, skipped = set(), [], {"small": 0, "cut-out or unreadable": 0, "duplicate": 0, "excluded": 0}
for pkg in sorted(SOURCES):
    taken = set()
    for p in extract(pkg):
        if f"{pkg}/{p}" in EXCLUDE:
            skipped["excluded"] += 1
            continue
        try:
            rgb = load(os.path.join(X, pkg, p))
        except OSError:  # a broken test file (skimage's truncated.jpg)
            rgb = None
        if rgb is None:
            skipped["cut-out or unreadable"] += 1
            continue
        h, w = rgb.shape[:2]
        if min(h, w) < 300:
            skipped["small"] += 1
            continue
        rgb = fit(rgb, 1600)
        ph = phash(rgb)
        if any(bin(ph ^ q).count("1") <= 6 for q in hashes):
            skipped["duplicate"] += 1
            continue
        hashes.append(ph)
        n = short_name(pkg, p, taken)
        taken.add(n)
        name = f"{pkg}__{n}.jpg"
        write_jpeg(OUT, name, rgb)
        names.add(name)
prune(OUT, names)
print(f"train photos: {len(names)} in {OUT} (skipped: " + ", ".join(f"{v} {k}" for k, v in skipped.items()) + ")")
EOF
