"""`python -m bench [name ...]`: run every benchmark, or the named ones, and print JSON lines."""

import contextlib
import importlib
import json
import pkgutil
import sys
from pathlib import Path

from ._common import configure, note

# Benchmarks whose data the others reuse run first; the rest follow in alphabetical order.
FIRST = ("org_import",)


def available() -> list[str]:
    names = sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name[0] != "_"
    )
    return [n for n in FIRST if n in names] + [n for n in names if n not in FIRST]


def main(argv: list[str]) -> int:
    names = available()
    wanted = [a for arg in argv for a in arg.replace(",", " ").split()]
    unknown = [n for n in wanted if n not in names]
    if unknown:
        print(
            f"bench: unknown {', '.join(unknown)}; choose from {', '.join(names)}", file=sys.stderr
        )
        return 2
    selected = [n for n in names if n in wanted] if wanted else names
    out = sys.stdout
    # Anything the code under test prints goes to stderr; stdout carries only the JSON lines.
    with contextlib.redirect_stdout(sys.stderr):
        db = configure()
        for name in selected:
            note(f"running {name}")
            module = importlib.import_module(f"{__package__}.{name}")
            for case in module.run():
                line = {"bench": name, "db": db, **case}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
