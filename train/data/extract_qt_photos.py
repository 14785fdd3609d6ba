"""Photographs out of Qt resource files (.rcc), for distillation inputs.

Debian's ``gcompris-qt-data`` keeps its activities' images (animals, monuments, instruments, objects,
landscapes: real photographs, a few hundred) inside compiled Qt resource bundles. The format is Qt's
documented binary layout: a ``qres`` header with the offsets of a tree of entries, a table of UTF-16 names
and the data blobs (zlib-compressed with a 4-byte length prefix, zstd-compressed, or stored).

    python train/data/extract_qt_photos.py RCC_DIR OUT_DIR

``python train/data/fetch.py debian_images`` calls it on gcompris-qt-data's bundles (train_sources_gc/gcompris).

Keeps what looks like a photograph: colour, short side >= 200 px, no transparent cut-outs, and at least
1,500 distinct colours (drawings and icons have few); skips the ``details`` activity (paintings with
puzzle-piece holes cut out of them).
"""

from __future__ import annotations

import argparse
import struct
import sys
import zlib
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from edgegan.media import IMAGE_SUFFIXES

SKIP_BUNDLES = ("details",)


def read_rcc(path: Path):
    """Yield (resource path, bytes) for every file in a Qt resource bundle."""
    b = path.read_bytes()
    if b[:4] != b"qres":
        raise ValueError(f"not a Qt resource file: {str(path)!r}")
    version, tree, data, names = struct.unpack(">IIII", b[4:20])
    entry_size = 22 if version >= 2 else 14

    def name(offset: int) -> str:
        (n,) = struct.unpack(">H", b[names + offset : names + offset + 2])
        start = names + offset + 6  # length (2 bytes), hash (4 bytes), then UTF-16BE
        return b[start : start + 2 * n].decode("utf-16-be")

    stack = [(0, "")]
    while stack:
        index, prefix = stack.pop()
        e = tree + index * entry_size
        name_offset, flags = struct.unpack(">IH", b[e : e + 6])
        here = prefix + (name(name_offset) if index else "")
        if flags & 0x2:  # directory
            count, first = struct.unpack(">II", b[e + 6 : e + 14])
            stack.extend((child, here + "/") for child in range(first, first + count))
            continue
        (offset,) = struct.unpack(">I", b[e + 10 : e + 14])
        p = data + offset
        (size,) = struct.unpack(">I", b[p : p + 4])
        blob = b[p + 4 : p + 4 + size]
        if flags & 0x1:
            blob = zlib.decompress(blob[4:])
        elif flags & 0x4:
            import zstandard

            blob = zstandard.ZstdDecompressor().decompress(blob, max_output_size=1 << 28)
        yield here, blob


def is_photograph(image: np.ndarray | None) -> bool:
    if image is None or image.ndim != 3 or min(image.shape[:2]) < 200:
        return False
    if image.shape[2] == 4:
        if (image[..., 3] < 250).mean() > 0.01:
            return False
        image = image[..., :3]
    q = (image // 8).reshape(-1, 3).astype(np.int32)
    return len(np.unique(q[:, 0] * 1024 + q[:, 1] * 32 + q[:, 2])) >= 1500


def extract_photos(rcc_dir: Path, out_dir: Path) -> int:
    """Writes the photographs of every bundle in rcc_dir to out_dir as PNG, BUNDLE_PATH.png; returns their count."""
    bundles = sorted(Path(rcc_dir).glob("*.rcc"))
    if not bundles:
        raise ValueError(f"no .rcc files in {str(rcc_dir)!r}")
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    kept = 0
    for bundle in bundles:
        if bundle.stem in SKIP_BUNDLES:
            continue
        for resource, blob in read_rcc(bundle):
            if not resource.lower().endswith(IMAGE_SUFFIXES):
                continue
            image = cv2.imdecode(np.frombuffer(blob, np.uint8), cv2.IMREAD_UNCHANGED)
            if not is_photograph(image):
                continue
            if image.shape[2] == 4:
                image = image[..., :3]
            out = Path(out_dir) / (bundle.stem + resource.replace("/", "_").rsplit(".", 1)[0] + ".png")
            cv2.imwrite(str(out), image)
            kept += 1
    return kept


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rcc_dir", type=Path)
    ap.add_argument("out_dir", type=Path)
    args = ap.parse_args()
    try:
        kept = extract_photos(args.rcc_dir, args.out_dir)
    except ValueError as e:
        print(e, file=sys.stderr)
        return 2
    print(f"{kept} photographs from {len(list(args.rcc_dir.glob('*.rcc')))} bundles -> {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
