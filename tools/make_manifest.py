"""Write or check the SHA-256 manifest of the shipped data files (``src/zprime/data/MANIFEST.sha256``).

    python tools/make_manifest.py          # (re)write it after a deliberate change of a data file
    python tools/make_manifest.py --check  # exit 1, naming the files, when it is out of date

The manifest has the format of ``sha256sum`` (``<hex digest>  <path>``); zprime checks every shipped file
against it when loading and in ``zprime data validate`` (see ``zprime.core.integrity``).
"""

from __future__ import annotations

import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "zprime" / "data"


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(DATA.parents[1]))
    from zprime.core.integrity import MANIFEST_NAME, compute_manifest, format_manifest

    text = format_manifest(compute_manifest(DATA))
    path = DATA / MANIFEST_NAME
    if "--check" in argv:
        old = path.read_text(encoding="utf-8") if path.is_file() else ""
        if old == text:
            print(f"{MANIFEST_NAME} up to date")
            return 0
        before = set(old.splitlines())
        changed = sorted(line.split("  ", 1)[1] for line in set(text.splitlines()) - before)
        gone = sorted(line.split("  ", 1)[1] for line in before - set(text.splitlines()))
        print(f"{MANIFEST_NAME} out of date: new or changed {changed}, removed or changed {gone}")
        return 1
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path} ({len(text.splitlines())} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
