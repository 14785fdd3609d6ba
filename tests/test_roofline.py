"""The Jetson roofline reproduces the published measurements it was calibrated on, and counts traffic right."""

from __future__ import annotations

import pytest
from torch import nn

from edgegan.metrics.cost import count_macs, count_work
from edgegan.metrics.roofline import DEVICES, predict

# (device, precision, network GMACs, published batch-1 TensorRT latency in ms): docs/jetson_roofline_facts.md
PUBLISHED = [
    ("nano", "fp16", 4.089, 29.8),  # torch2trt ResNet-50 @224
    ("xavier", "int8", 4.089, 2.426),  # MLPerf v1.1 ResNet-50 SingleStream
    ("orin", "int8", 4.089, 1.079),  # MLPerf v3.1 ResNet-50 SingleStream
    ("orin", "fp16", 97.5, 35.99),  # Ultralytics YOLO11x @640
]


@pytest.mark.parametrize("device,precision,gmacs,ms", PUBLISHED)
def test_calibration_reproduces_its_measurement(device, precision, gmacs, ms):
    # ResNet-50 moves ~22 M activations and 25.6 M weights: far below the ridge on every device
    p = predict(device, precision, gmacs, activation_mb=22.0, weight_m=25.6)
    assert p["predicted"] and p["bound"] == "compute"
    # efficiencies are quoted to two digits: within 2 %
    assert p["ms"] == pytest.approx(ms, rel=0.02)


def test_nano_runs_int8_as_fp16_and_a_wide_shallow_network_is_memory_bound():
    assert predict("nano", "int8", 1.0, 1.0, 1.0)["precision"] == "fp16"  # no fast INT8 path on Maxwell
    # one 1x1 conv 3->8 channels on a 4K frame (8.3 M pixels): 0.2 G MACs, 91 M elements in and out
    p = predict("nano", "fp16", 8.3e6 * 24 / 1e9, activation_mb=8.3 * 11, weight_m=0.0)
    assert p["bound"] == "memory" and p["memory_ms"] > p["compute_ms"]
    assert set(DEVICES) >= {"nano", "xavier", "orin"}


def test_traffic_counts_each_layer_input_and_output_once():
    net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 3, 3, padding=1))
    t = count_work(net, (16, 24))
    px = 16 * 24
    macs = 2 * px * 3 * 8 * 9
    assert t == {"macs": macs, "activations": (3 + 8) * px + (8 + 3) * px, "weights": 3 * 8 * 9 + 8 * 3 * 9}
    assert count_macs(net, (16, 24)) == macs


def test_work_is_counted_at_the_shape_a_network_runs_at_inside():
    """A network that works at a fixed resolution inside (as vintage_guided's 128 px, carried to the frame by a
    guided field) does the same convolution work at any frame size: counted, not scaled by area."""

    class Fixed(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3, padding=1)

        def forward(self, x):
            y = self.conv(nn.functional.interpolate(x, size=(32, 32), mode="bilinear"))
            return nn.functional.interpolate(y, size=x.shape[-2:], mode="bilinear")[:, :3]

    small, large = count_work(Fixed(), (64, 64)), count_work(Fixed(), (720, 1280))
    assert small == large and small["macs"] == 32 * 32 * 3 * 8 * 9
