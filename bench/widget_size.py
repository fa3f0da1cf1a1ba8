"""How big the embeddable widget is: raw, minified (rjsmin) and gzipped, against a 15 KB budget.

.venv/bin/python -m bench.widget_size            # the shipped search_api/http/static/widget.js
.venv/bin/python -m bench.widget_size other.js   # any other file
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import rjsmin

WIDGET = Path(__file__).resolve().parent.parent / "search_api" / "http" / "static" / "widget.js"
BUDGET = 15 * 1024  # bytes, minified


def sizes(path: Path = WIDGET) -> dict[str, int]:
    raw = path.read_bytes()
    minified = rjsmin.jsmin(raw.decode("utf-8")).encode("utf-8")
    return {
        "raw": len(raw),
        "minified": len(minified),
        "gzip_raw": len(gzip.compress(raw, 9, mtime=0)),
        "gzip_minified": len(gzip.compress(minified, 9, mtime=0)),
    }


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else WIDGET
    got = sizes(path)
    for name, value in got.items():
        print(f"{name:>14}: {value:6d} bytes ({value / 1024:.1f} KB)")
    ok = got["minified"] <= BUDGET
    print(f"{'budget':>14}: {BUDGET:6d} bytes minified: {'within' if ok else 'OVER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
