"""Split a Markdown page into the fenced code blocks the docs test runs.

A block is what sits between a line ```` ```lang ```` and the closing ```` ``` ````.
What the test does with it depends on its language and on an HTML comment on the
line just above the fence (invisible on GitHub and on the site):

- ```` ```python ````: executed; blocks of one page share one namespace, top to bottom.
  A block whose first line starts with ``>>>`` is a doctest (``...`` matches anything).
- ```` ```text ```` right after a python block (only blank lines or comments between):
  the output that block prints, compared exactly (``...`` or ``…`` match anything).
  Marked ``<!-- output: approximate -->``, numbers match within 5 % instead.
- ```` ```bash ```` / ```` ```console ````: each command that starts with ``mlplab`` is
  run (other commands, such as ``make run``, are shown, not run); in a console block,
  the lines after a ``$ mlplab …`` command are its expected output.
- ``<!-- docs-test: skip REASON -->`` above any block: not run (keep this rare).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FENCE = re.compile(r"^```(\w*)\s*$")
MARKER = re.compile(r"^<!--\s*(.*?)\s*-->\s*$")
RUN_LANGUAGES = ("python", "bash", "console")


@dataclass
class Block:
    """One fenced code block of a page."""

    page: str
    index: int  # 1-based among the page's blocks
    line: int  # line number of the first code line
    lang: str
    code: str
    marker: str = ""  # the HTML comment right above the fence, if any
    output: Block | None = None  # the ```text block that shows what it prints

    @property
    def where(self) -> str:
        return f"{self.page}, block {self.index} ({self.lang}, line {self.line})"

    @property
    def skip_reason(self) -> str | None:
        found = re.match(r"docs-test:\s*skip\b\s*(.*)", self.marker)
        return (found.group(1).strip(" -—:") or "no reason given") if found else None

    @property
    def approximate(self) -> bool:
        return self.marker.startswith("output: approximate")


def read_blocks(path: Path, name: str) -> list[Block]:
    """Every fenced block of the page, with outputs attached to the python block above."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    only_blank_since_block = False
    marker = ""
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence:
            comment = MARKER.match(lines[i])
            if comment:
                marker = comment.group(1)
            elif lines[i].strip():
                only_blank_since_block, marker = False, ""
            i += 1
            continue
        end = i + 1
        while end < len(lines) and lines[end].rstrip() != "```":
            end += 1
        block = Block(name, len(blocks) + 1, i + 2, fence.group(1),
                      "\n".join(lines[i + 1:end]) + "\n", marker)
        previous = blocks[-1] if blocks else None
        if (block.lang == "text" and only_blank_since_block and previous is not None
                and previous.lang == "python"):
            previous.output = block
        blocks.append(block)
        only_blank_since_block, marker = True, ""
        i = end + 1
    return blocks


def shell_commands(code: str) -> list[tuple[str, list[str]]]:
    """The commands of a bash or console block, each with its expected output lines.

    Backslash continuations are joined; in a console block only ``$ `` lines are
    commands and the lines under one are its output.
    """
    console = any(line.startswith("$ ") for line in code.splitlines())
    commands: list[tuple[str, list[str]]] = []
    pending = ""
    for line in code.splitlines():
        if console and not line.startswith("$ ") and not pending:
            if commands:
                commands[-1][1].append(line)
            continue
        text = line[2:] if console and line.startswith("$ ") else line
        if text.rstrip().endswith("\\"):
            pending += text.rstrip()[:-1] + " "
            continue
        command = (pending + text).strip()
        pending = ""
        if command and not command.startswith("#"):
            commands.append((command, []))
    return commands
