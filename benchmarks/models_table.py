"""Write docs/models.md: every registered generator with parameters, MACs and its published reference.

python benchmarks/models_table.py            # prints the table and writes docs/models.md + docs/results/models.json
"""

from __future__ import annotations

import argparse
from pathlib import Path

from edgegan.evaluation.catalog import describe_models
from edgegan.io import atomic_write, write_json
from edgegan.machine import machine

IMPORT_SECTION = "## Importing published checkpoints"
HEADER = """# Models

Every generator edgegan registers (`edgegan models --json` gives the same data). Parameters are counted on
the network as built; MACs on one forward pass of the input shown, in two conventions: **real** counts a
transposed convolution as the arithmetic done (input pixels x kernel taps), **output-res** counts it at
output resolution as the profilers behind the GAN-compression literature do (CycleGAN ResNet-9: 49.5 G
real, the usually quoted 56.8 G output-res). Norms, activations and adds are not counted.
`test_*` variants are tiny copies for tests and CPU smoke runs.

Regenerate with `python benchmarks/models_table.py`.

| name | family | parameters | reference (published) | diff | GMACs real | GMACs output-res | input |
|---|---|---|---|---|---|---|---|
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="docs/models.md")
    ap.add_argument("--json", default="docs/results/models.json")
    args = ap.parse_args()
    from edgegan.cli.resolve import prepare_teachers

    prepare_teachers()  # the teachers whose wheels are installed, converted once
    rows = describe_models(256)
    lines = [HEADER.rstrip("\n")]
    for r in rows:
        ref = r.get("reference")
        ref_txt = f"{ref['parameters']:,} ({ref['source']})" if ref else "-"
        diff = f"{100 * r['parameters_vs_reference']:+.3f} %" if ref else "-"
        lines.append(
            f"| `{r['name']}` | {r['family']} | {r['parameters']:,} | {ref_txt} | {diff} | "
            f"{r['gmacs_real']:.2f} | {r['gmacs_output_res']:.2f} | {'x'.join(map(str, r['mac_input'][1:]))} |"
        )
    text = "\n".join(lines) + "\n"
    out = Path(args.out)
    if out.is_file() and IMPORT_SECTION in out.read_text():  # the hand-written importer table is kept as it is
        text += "\n" + IMPORT_SECTION + out.read_text().split(IMPORT_SECTION, 1)[1]
    with atomic_write(out, "w") as f:
        f.write(text)
    write_json(args.json, {"rows": rows, "machine": machine(), "command": "python benchmarks/models_table.py"})
    print(text)


if __name__ == "__main__":
    main()
