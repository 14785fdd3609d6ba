import json

import numpy as np
import onnx
import pytest
import torch
from parity import assert_parity, network_bound

from edgegan.errors import EdgeganError
from edgegan.export import export_onnx
from edgegan.models import load_model
from edgegan.runtime import load_backend


@pytest.mark.parity
def test_onnx_matches_pytorch_with_dynamic_shapes(tiny_ckpt, tmp_path):
    export_onnx(tiny_ckpt, tmp_path / "g.onnx")
    proto = onnx.load(tmp_path / "g.onnx")
    onnx.checker.check_model(proto)
    dims = [d.dim_param or d.dim_value for d in proto.graph.input[0].type.tensor_type.shape.dim]
    assert dims[1] == 3 and all(isinstance(d, str) for d in (dims[0], dims[2], dims[3]))
    meta = {p.key: p.value for p in proto.metadata_props}
    assert json.loads(meta["edgegan.io"])["size_multiple"] == 4
    assert (tmp_path / "g.export.json").is_file()
    model, ort = load_model(tiny_ckpt), load_backend(tmp_path / "g.onnx")
    for shape in [(1, 3, 256, 256), (3, 3, 44, 100)]:  # sizes the export never saw
        x = np.random.default_rng(1).uniform(-1, 1, shape).astype(np.float32)
        with torch.inference_mode():
            want = model(torch.from_numpy(x)).numpy()
        assert_parity(ort.run(x), want, network_bound(model, sides=2), f"{shape}")


def test_export_refuses_wrong_suffix(tiny_ckpt, tmp_path):
    with pytest.raises(EdgeganError, match=r"must end in \.onnx"):
        export_onnx(tiny_ckpt, tmp_path / "g.engine")
