"""A clean clone passes: the tests read only files inside the repository, and README and CI agree.

CI (``.ci/run``) runs the README's test command twice: on the full checkout and on a bare ``git clone`` of
the committed HEAD. These tests keep the three in step: the same command, the same system packages, and
no test path that points outside the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
TEST_COMMAND = 'python3 -m venv .venv && .venv/bin/pip install -q -e ".[test]" && .venv/bin/python -m pytest'


def _packages(text: str) -> set[str]:
    found: set[str] = set()
    for line in re.findall(r"apt-get install ([^`\n]+)", text):
        found |= {word for word in line.split() if not word.startswith(("-", ">", "$"))}
    return found


def test_readme_and_ci_run_the_same_test_command_also_on_a_bare_clone() -> None:
    assert f"```bash\n{TEST_COMMAND}\n```" in README
    assert CI.count(TEST_COMMAND) == 2  # the full layout, then the bare clone
    bare = CI.index('clone -q . "$tmp/bare"')
    assert CI.index(TEST_COMMAND) < bare < CI.rindex(TEST_COMMAND)


def test_readme_lists_exactly_the_system_packages_ci_installs() -> None:
    assert _packages(CI) == _packages(README)
    assert {"libegl1", "libxkbcommon0", "postgresql"} <= _packages(README)


def test_no_test_reads_a_file_outside_the_repository() -> None:
    escapes: list[str] = []
    for source in sorted((ROOT / "tests").rglob("*.py")):
        text = source.read_text(encoding="utf-8")
        for match in re.finditer(r"Path\(__file__\)\.resolve\(\)\.parents\[(\d+)\]((?:\s*/\s*\"[^\"]+\")*)", text):
            target = source.parents[int(match.group(1))].joinpath(*re.findall(r"\"([^\"]+)\"", match.group(2)))
            if ROOT not in (target, *target.parents):
                escapes.append(f"{source.relative_to(ROOT)}: {match.group(0)}")
        escapes += [f"{source.relative_to(ROOT)}: {m}" for m in re.findall(r"[\"'](/(?:work|home|tmp)/[^\"']*)", text)]
    assert escapes == []
