"""Write the simulator's OpenAPI document: ``python -m simulator.openapi [path]``.

The file (docs/openapi.json) is what the server serves at ``/openapi.json``; a test
keeps the two equal.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from simulator.app import create_app

DEFAULT = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def schema() -> dict:
    return create_app(None).openapi()


def render() -> str:
    return json.dumps(schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else DEFAULT
    out.write_text(render(), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
