"""The guided student (edgegan/models/guided.py): its least-squares fit, the exported solve, the invariance it
inherits from an InstanceNorm network, and pruning the teacher's shape that starts it."""

import pytest
import torch

from edgegan.models import load_model, save_model
from edgegan.models.guided import GuidedStudent, fit_maps, solve_spd
from edgegan.models.student import apply_maps
from edgegan.registry import MODELS


def test_unrolled_cholesky_solves_like_linalg():
    torch.manual_seed(0)
    a = torch.randn(5, 3, 4, 4)
    m = a @ a.transpose(-1, -2) + 0.1 * torch.eye(4)
    b = torch.randn(5, 3, 4, 3)
    assert torch.allclose(solve_spd(m, b), torch.linalg.solve(m, b), atol=1e-4)


def test_fit_recovers_one_map_exactly_and_follows_a_varying_field():
    """Each node fits its own neighbourhood (Bilateral Guided Upsampling's local fit): one affine map over the
    whole photo comes back exactly; a field varying from node to node is followed closely, not exactly."""
    torch.manual_seed(0)
    x = torch.rand(2, 3, 32, 32) - 0.5
    one = torch.eye(3, 4).reshape(1, 12, 1, 1) + 0.2 * torch.randn(2, 12, 1, 1)
    y = apply_maps(one.expand(2, 12, 4, 4), x)
    # float32 normal equations: within a grey level
    assert (apply_maps(fit_maps(x, y, grid=4, ridge=1e-7), x) - y).abs().max() < 5e-3
    field = torch.eye(3, 4).reshape(1, 12, 1, 1) + 0.1 * torch.randn(2, 12, 4, 4)
    y = apply_maps(field, x)
    err = (apply_maps(fit_maps(x, y, grid=4, ridge=1e-7), x) - y).abs().mean()
    assert err < 0.5 * (x - y).abs().mean()  # a random field: node-to-node changes as large as they come


def test_fit_stays_float32_under_a_bf16_autocast():
    """bf16 training (train.cpu_bf16) runs the network under autocast, which would also put the fit's two MatMuls
    in bf16: 8 significant bits lose the small pivots of the normal equations. The fit opts out, so under
    autocast it is the float32 fit (same operations; any difference is float32 summation order, ~1e-6)."""
    torch.manual_seed(0)
    x = torch.rand(2, 3, 32, 32) - 0.5
    y = apply_maps(torch.eye(3, 4).reshape(1, 12, 1, 1) + 0.1 * torch.randn(2, 12, 4, 4), x)
    ref = fit_maps(x, y, grid=4, ridge=1e-3)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        mixed = fit_maps(x, y, grid=4, ridge=1e-3)
    assert mixed.dtype == torch.float32 and (mixed - ref).abs().max() < 1e-4


def test_flat_photo_gets_a_bounded_map_to_its_new_level():
    """A flat cell has no colour spread to fit a gain to: the ridge keeps the map near the identity (no huge gain
    amplifying the noise), and the output follows y's level."""
    x = torch.full((1, 3, 16, 16), 0.3)
    y = torch.full((1, 3, 16, 16), -0.2)
    out = apply_maps(fit_maps(x, y, grid=2, ridge=1e-3), x + 0.01 * torch.randn_like(x))
    assert (out - y).abs().max() < 0.05


def test_student_is_blind_to_exposure_as_its_instancenorm_network():
    """The network starts with a convolution and InstanceNorm, so its output ignores x -> a x + b (b per channel);
    the fitted maps absorb the change, so the whole student's output is (nearly: the ridge) unchanged."""
    torch.manual_seed(0)
    model = GuidedStudent(base_channels=4, n_blocks=1, low=32, grid=2, ridge=1e-6).eval()
    x = torch.rand(1, 3, 64, 64) * 1.6 - 0.8
    x2 = 0.5 * x + torch.tensor([0.2, -0.1, 0.05]).reshape(1, 3, 1, 1)
    with torch.no_grad():
        assert (model(x) - model(x2)).abs().max() < 2e-2


def test_pruned_instancenorm_generator_rebuilds_inside_a_guided_student(tmp_path):
    """`edgegan prune` on a CycleGAN generator with affine InstanceNorm (the vintagify teacher's shape) keeps its
    graph consistent, and the pruned widths load into a guided student from its checkpoint."""
    from edgegan.compress.prune import prune_model

    torch.manual_seed(0)
    net = MODELS.build("test_cyclegan_resnet", {"norm": "instance_affine", "n_blocks": 1})
    prune_model(net, 0.5, torch.zeros(1, 3, 32, 32), round_to=2)
    assert net.stem[1].out_channels == 4 and net.stem[2].weight.shape[0] == 4
    guided = MODELS.build("test_guided_resnet").load_generator(net)
    path = save_model(tmp_path / "g", guided, {"name": "test_guided_resnet", "args": {}})
    x = torch.rand(1, 3, 48, 40) * 2 - 1
    with torch.no_grad():
        assert torch.equal(guided.eval()(x), load_model(path)(x))


def test_a_student_that_sees_finer_starts_as_its_generator_and_exports(tmp_path):
    """``sees=2``: the network reads a view twice ``low`` by space-to-depth. Started from a generator, its first
    convolution weighs each sub-pixel equally, so it is the generator run on the 2x2 averages (float32 sums in
    another order: ~1e-6). Its checkpoint reloads it, and its ONNX export (SpaceToDepth as reshapes) matches
    PyTorch within float32 rounding (the same bound as every other float export, 1e-4)."""
    import torch.nn.functional as F

    from edgegan.export.to_onnx import export_onnx
    from edgegan.importers import open_model
    from edgegan.runtime.backends import load_backend

    torch.manual_seed(0)
    net = MODELS.build("test_cyclegan_resnet", {"norm": "instance_affine", "n_blocks": 1}).eval()
    student = GuidedStudent(base_channels=8, n_blocks=1, low=32, grid=2, sees=2).load_generator(net).eval()
    view = torch.rand(2, 3, 64, 64) * 2 - 1
    with torch.no_grad():
        diff = (student.net(F.pixel_unshuffle(view, 2)) - net(F.avg_pool2d(view, 2))).abs().max()
    assert diff < 1e-5
    args = {"base_channels": 8, "n_blocks": 1, "low": 32, "grid": 2, "sees": 2}
    path = save_model(tmp_path / "g", student, {"name": "guided_resnet", "args": args})
    x = torch.rand(1, 3, 72, 96) * 2 - 1
    with torch.no_grad():
        y = student(x)
        assert torch.equal(y, load_model(path)(x))
    export_onnx(open_model(path), tmp_path / "g.onnx")
    out = load_backend(open_model(tmp_path / "g.onnx"), threads=1).run(x.numpy())
    assert abs(out - y.numpy()).max() < 1e-4


@pytest.mark.parametrize("low", [30, 6, 0, -4])
def test_low_resolution_must_suit_the_network(low):
    with pytest.raises(ValueError, match="multiple of 4"):
        GuidedStudent(low=low)


@pytest.mark.parametrize("grid", [0, -1, 256])
def test_grid_must_fit_the_low_resolution(grid):
    with pytest.raises(ValueError, match="grid must be"):
        GuidedStudent(low=128, grid=grid)
