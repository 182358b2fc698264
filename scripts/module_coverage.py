"""Hold every measured module to its minimum coverage.

``scripts/module_coverage.py REPORT.json``, where REPORT.json is ``coverage json``'s report of
the releases' runs combined (scripts/test makes it). Every module needs 95 %, the config flow
100 % (lines and branches together, as coverage counts them). Prints each module below its
minimum, and exits 1 if there is one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

MINIMUM = 95.0
MINIMA = {"custom_components/vitrea/config_flow.py": 100.0}


def short_modules(files: dict[str, Any]) -> list[str]:
    """``path: covered % < minimum %`` for each of the report's ``files`` below its minimum."""
    return [
        f"{path}: {covered:.2f} % < {minimum:g} %"
        for path, data in sorted(files.items())
        if (covered := data["summary"]["percent_covered"]) < (minimum := MINIMA.get(path, MINIMUM))
    ]


def main() -> int:
    """Check the report named on the command line; 1 if a module is short, else 0."""
    report = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    short = short_modules(report["files"])
    for line in short:
        print(line)
    total = report["totals"]["percent_covered"]
    print(f"{len(report['files'])} modules, {total:.2f} % together; {len(short)} below minimum")
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main())
