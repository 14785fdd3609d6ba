"""``edgegan import FAMILY``: one sub-command per registered family, built from the family's own declaration:
its options only, options and FILE in any order, one-line errors."""

from __future__ import annotations

import re

import pytest
import torch
from conftest import run_cli
from reference.ugatit import ResnetGenerator, randomize, training_checkpoint

from edgegan.importers import IMPORTERS
from edgegan.io import read_json

OTHER_FAMILIES_OPTIONS = ("--bn", "--upsample", "--layout", "--range", "--color", "--multiple", "--set", "--style")


@pytest.fixture(scope="module")
def ugatit_file(tmp_path_factory):
    """A tiny U-GAT-IT training checkpoint (light, ngf 8, one block, 32x32) whose two generators differ."""
    torch.manual_seed(0)
    gens = [randomize(ResnetGenerator(3, 3, 8, 1, 32, light=True), seed) for seed in (3, 4)]
    path = tmp_path_factory.mktemp("ugatit") / "tiny_params_0000100.pt"
    torch.save(training_checkpoint(*gens, ndf=4), path)
    return path


def help_text(*args: str) -> str:
    code, out, err = run_cli(*args, "--help")
    assert code == 0, err
    return out


def option_flags(text: str) -> set[str]:
    """The flags of the help's option list (lines that start with an option), not those its prose mentions."""
    return {f for line in text.splitlines() if re.match(r"  -", line) for f in re.findall(r"--?[a-z][a-z-]*", line)}


def test_options_and_file_come_in_any_order(ugatit_file, tmp_path):
    orders = {
        "option-first": ["--direction", "B2A", str(ugatit_file), "--out", str(tmp_path / "a")],
        "file-first": [str(ugatit_file), "--out", str(tmp_path / "b"), "--direction", "B2A"],
        "out-first": ["--out", str(tmp_path / "c"), "--direction", "B2A", str(ugatit_file)],
    }
    for order, args in orders.items():
        code, stdout, err = run_cli("import", "ugatit", *args)
        assert code == 0 and "imported into" in stdout, (order, err)
    weights = {d: (tmp_path / d / "model.safetensors").read_bytes() for d in "abc"}
    configs = {d: read_json(tmp_path / d / "config.json") for d in "abc"}
    assert weights["a"] == weights["b"] == weights["c"]
    assert configs["a"] == configs["b"] == configs["c"]
    assert "genB2A" in read_json(tmp_path / "a" / "lineage.json")["created_by"]
    # the option took effect: the default direction (A2B) is the other generator
    code, _, err = run_cli("import", "ugatit", str(ugatit_file), "--out", str(tmp_path / "a2b"))
    assert code == 0, err
    assert (tmp_path / "a2b" / "model.safetensors").read_bytes() != weights["a"]


def test_each_family_lists_only_its_own_options():
    ugatit = help_text("import", "ugatit")
    assert "--direction" in option_flags(ugatit) and "FILE" in ugatit
    for flag in OTHER_FAMILIES_OPTIONS:
        assert flag not in ugatit, flag
    assert "--bn" in option_flags(help_text("import", "pix2pix"))
    assert "--upsample" in option_flags(help_text("import", "animeganv2"))
    assert {"--layout", "--range", "--color", "--multiple", "--set"} <= option_flags(help_text("import", "onnx"))
    for family, imp in IMPORTERS.items():  # every family: exactly what it declares, and FILE when it reads one
        text = help_text("import", family)
        declared = {f"--{name.replace('_', '-')}" for name in imp.options}
        assert option_flags(text) == {"-h", "--help", "--out"} | declared, family
        usage = text.split("\n\n")[0]
        assert ("FILE" in usage) == imp.needs_file, (family, usage)


def test_import_help_lists_each_family_on_one_line():
    text = help_text("import")
    for family, imp in IMPORTERS.items():
        lines = [ln for ln in text.splitlines() if ln.split()[:1] == [family]]
        assert len(lines) == 1 and (imp.title or family) in lines[0], (family, text)
    for flag in OTHER_FAMILIES_OPTIONS + ("--direction",):
        assert flag not in text, flag


@pytest.mark.parametrize(
    "args,expected",
    [
        (["ugatit", "{file}", "--bn", "eval"], "edgegan import ugatit: error: unrecognized arguments: --bn eval"),
        (["ugatit", "{file}", "extra.pt"], "unrecognized arguments: extra.pt"),
        (["ugatit"], "the following arguments are required: FILE"),
        (["ugatit", "{file}", "--direction", "C2D"], "--direction 'C2D': choose one of: A2B, B2A"),
        (["vintagify", "{file}"], "edgegan import vintagify: error: unrecognized arguments"),
        (["pix3pix", "{file}"], "invalid choice: 'pix3pix'"),
        (["onnx", "{file}", "--set", "gain"], "argument --set: expected NAME=VALUE, got 'gain'"),
    ],
    ids=["other-family-option", "second-file", "no-file", "bad-choice", "file-not-taken", "unknown-family", "bad-set"],
)
def test_bad_input_is_one_line(ugatit_file, tmp_path, args, expected):
    out = tmp_path / "out"
    args = [str(ugatit_file) if a == "{file}" else a for a in args]
    code, stdout, err = run_cli("import", *args, "--out", str(out))
    assert code == 2 and expected in err and len(err.strip().splitlines()) == 1, (code, err)
    assert not out.exists()
