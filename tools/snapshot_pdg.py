"""Refresh the particle masses in ``src/zprime/data/constants/pdg.yaml`` from scikit-hep ``particle``.

zprime never reads ``particle`` at run time: this script snapshots the numbers (value, symmetric
uncertainty) into zprime's own data so a PDG table removed upstream cannot change results. Run it by hand
when moving to a new PDG edition, review the diff, and update the ``edition`` line and the tests.

    python tools/snapshot_pdg.py            # print what would change
    python tools/snapshot_pdg.py --write    # rewrite the masses in pdg.yaml
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PDG_IDS = {"m_e": 11, "m_mu": 13, "m_tau": 15, "m_z": 23, "m_w": 24, "m_p": 2212, "m_n": 2112, "m_pi0": 111}
YAML = Path(__file__).resolve().parents[1] / "src" / "zprime" / "data" / "constants" / "pdg.yaml"


def main(write: bool) -> int:
    from particle import Particle, __version__

    text = YAML.read_text()
    for name, pid in PDG_IDS.items():
        p = Particle.from_pdgid(pid)
        value, err = p.mass, max(p.mass_upper or 0.0, p.mass_lower or 0.0)
        block = re.search(rf"(  {name}:\n    value: )([^\n]+)(\n    uncertainty: )([^\n]+)", text)
        if block is None:
            print(f"{name}: not found in {YAML.name}")
            return 1
        old = float(block.group(2))
        if old != value:
            print(f"{name}: {old} -> {value} (particle {__version__})")
        new = f"{block.group(1)}{value!r}{block.group(3)}{err!r}"
        text = text[: block.start()] + new + text[block.end() :]
    if write:
        YAML.write_text(text)
        print(f"wrote {YAML}")
    return 0


if __name__ == "__main__":
    sys.exit(main("--write" in sys.argv))
