"""``edgegan eval``: quality, temporal stability and cost of models, as JSON and a Markdown report."""

from __future__ import annotations

from edgegan.cli.options import add_backend, add_out, add_size, add_threads, blend_weight, positive_int
from edgegan.cli.resolve import prepare
from edgegan.evaluation.eval import run_eval
from edgegan.evaluation.report import label


def add_arguments(parser) -> None:
    p = parser
    p.add_argument("models", nargs="+", help="names, checkpoints, .onnx/.xml or export/quantize dirs; MODEL@backend")
    add_out(p, help="report directory")
    p.add_argument("--reference", help="the model quality is measured against (default: the first)")
    p.add_argument("--photos", nargs="+", help="photos (default: the sample photos)")
    p.add_argument("--video", help="video for temporal stability (default: none)")
    p.add_argument("--frames", type=positive_int, default=120, help="video frames to use (default 120)")
    p.add_argument("--dist-frames", type=int, default=48, help="video frames added to the FD/KID set (default 48)")
    add_size(p)
    p.add_argument("--alpha", type=blend_weight, default=0.8, help="temporal blending weight")
    add_threads(p, default=2)
    add_backend(p, "backend for every model without @backend")
    p.add_argument("--inception", help="inception-2015-12-05.pt (TorchScript) for real FID/KID")
    p.add_argument("--lpips-vgg", help="vgg16.pt (TorchScript LPIPS) for LPIPS")
    p.add_argument("--video-reference", action="store_true", help="stylize the video with the reference too")


def run(a) -> None:
    prepare(a.models + [a.reference] * bool(a.reference))
    r = run_eval(
        a.models, a.out, reference=a.reference, photos=a.photos, video=a.video, frames=a.frames, size=a.size,
        alpha=a.alpha, threads=a.threads, backend=a.backend, inception=a.inception, lpips_vgg=a.lpips_vgg,
        video_reference=a.video_reference, dist_frames=a.dist_frames,
    )  # fmt: skip
    for spec, row in r["models"].items():
        q = row["vs_reference"]
        kid = 1e3 * q["kid_lite0"]
        print(f"{label(spec)}: {q['psnr_mean']:.2f} dB, SSIM {q['ssim_mean']:.3f}, KID-Lite0 {kid:.2f}e-3")
    if r["video"]:
        v = r["video"]
        for spec, row in v["models"].items():
            for mode, s in row.items():
                ratios = ", ".join(f"{x:.2f}x" for x in s["ratio_to_input"].values())
                print(f"{label(spec)} {mode}: warping error {ratios} the input's; {s['fps']:.1f} FPS")
    print(f"report: {a.out}/report.md")
