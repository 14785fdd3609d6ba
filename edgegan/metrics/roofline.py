"""Predicted network latency on Jetson GPUs: a roofline, calibrated on published batch-1 measurements.

    latency = max(2 * MACs / (peak * efficiency), bytes / bandwidth)

- ``peak``: the GPU's dense tensor throughput at the precision (no 2:4 sparsity, no DLA), in the module's top
  non-Super power mode. Nano has no tensor cores and no fast INT8 path: FP16 on its CUDA cores only.
- ``efficiency``: achieved over peak for a published TensorRT ResNet-50 (or YOLO11x) run at batch 1 on that
  device and precision. A GAN generator has larger activations at full resolution than ResNet-50, so where the
  compute term rules the prediction is as good as that transfer; where the memory term rules it is a floor.
- ``bytes``: every convolution reads its input and writes its output once (TensorRT fuses norms, activations
  and adds into them) at the precision's width, plus the weights once; at the peak bandwidth, so a floor.

Every figure here is a prediction, and is labelled so wherever it is written. Sources, quoted, and the
derivations: docs/jetson_roofline_facts.md. ``benchmarks/gpu_check.sh`` compares a prediction with a measurement
whenever a GPU is lent.
"""

from __future__ import annotations

import dataclasses

MODEL = (
    "roofline: max(2*MACs / (dense GPU peak * efficiency), (conv inputs + outputs + weights) bytes / peak "
    "bandwidth); efficiency from a published TensorRT batch-1 measurement per device and precision "
    "(docs/jetson_roofline_facts.md)"
)
BYTES = {"fp16": 2, "int8": 1}


@dataclasses.dataclass(frozen=True)
class Calibration:
    efficiency: float
    source: str  # the measurement it was read off


@dataclasses.dataclass(frozen=True)
class Device:
    name: str
    description: str
    peak_tops: dict[str, float]  # dense GPU tera-ops per second (MAC = 2 ops) per precision
    bandwidth_gbs: float
    calibration: dict[str, Calibration]


DEVICES = {
    d.name: d
    for d in (
        Device(
            "nano",
            "Jetson Nano 4GB (Maxwell, 128 CUDA cores at 921.6 MHz, MAXN 10 W)",
            {"fp16": 0.4719},
            25.6,
            {"fp16": Calibration(0.58, "torch2trt ResNet-50 @224 FP16, 29.8 ms")},
        ),
        Device(
            "xavier",
            "Jetson Xavier NX 8GB (Volta, 48 tensor cores at 1100 MHz, 15 W; GPU only, no DLA)",
            {"fp16": 6.76, "int8": 13.5},
            51.2,
            {
                "int8": Calibration(0.25, "MLPerf v1.1 Xavier NX ResNet-50 SingleStream INT8, 2.426 ms"),
                "fp16": Calibration(0.21, "torch2trt AGX Xavier ResNet-50 @224 FP16, 3.37 ms (Volta, not NX)"),
            },
        ),
        Device(
            "orin",
            "Jetson Orin NX 16GB (Ampere, 32 tensor cores at 918 MHz, 25 W; GPU only, no DLA)",
            {"fp16": 15.0, "int8": 30.1},
            102.0,
            {
                "int8": Calibration(0.25, "MLPerf v3.1 Orin NX ResNet-50 SingleStream INT8, 1.079 ms"),
                "fp16": Calibration(0.36, "Ultralytics Orin NX YOLO11x @640 TensorRT FP16, 35.99 ms"),
            },
        ),
        Device(
            "orin-nano",
            "Jetson Orin Nano 8GB (Ampere, 32 tensor cores at 625 MHz, 15 W)",
            {"fp16": 10.2, "int8": 20.5},
            68.0,
            {  # no published measurement at 625 MHz: Orin NX's efficiencies, the same GA10B with 8 SMs
                "int8": Calibration(0.25, "Orin NX's (same GA10B GPU): MLPerf v3.1 ResNet-50 INT8, 1.079 ms"),
                "fp16": Calibration(0.36, "Orin NX's (same GA10B GPU): Ultralytics YOLO11x FP16, 35.99 ms"),
            },
        ),
    )
}


def predict(device: str, precision: str, gmacs: float, activation_mb: float, weight_m: float) -> dict:
    """Predicted batch-1 network latency on ``device`` at ``precision`` ("fp16" or "int8") for a network of
    ``gmacs`` G multiply-accumulates, ``activation_mb`` million convolution input+output elements and
    ``weight_m`` million weights. A precision the device has no fast path for falls back to FP16."""
    dev = DEVICES[device]
    prec = precision if precision in dev.peak_tops else "fp16"
    cal = dev.calibration[prec]
    compute_ms = 2 * gmacs * 1e9 / (dev.peak_tops[prec] * 1e12 * cal.efficiency) * 1e3
    memory_ms = (activation_mb + weight_m) * 1e6 * BYTES[prec] / (dev.bandwidth_gbs * 1e9) * 1e3
    ms = max(compute_ms, memory_ms)
    return {
        "predicted": True,
        "precision": prec,
        "ms": round(ms, 2),
        "fps": round(1000.0 / ms, 1),
        "bound": "compute" if compute_ms >= memory_ms else "memory",
        "compute_ms": round(compute_ms, 2),
        "memory_ms": round(memory_ms, 2),
        "efficiency": cal.efficiency,
        "calibration": cal.source,
    }


def predict_all(precision: str, gmacs: float, activation_mb: float, weight_m: float) -> dict[str, dict]:
    """:func:`predict` on every device."""
    return {name: predict(name, precision, gmacs, activation_mb, weight_m) for name in DEVICES}
