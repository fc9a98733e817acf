"""The docs test's own rules: which block is an output, what a console block runs, matching."""

from __future__ import annotations

import pytest

from tests.docs.block_runner import outputs_match, run_python
from tests.docs.markdown_blocks import read_blocks, shell_commands

PAGE = '''# A page

```python
print(1 + 1)
```

<!-- output: approximate -->
```text
2.01
```

Prose, then a diagram that is not an output:

```text
a -> b
```

<!-- docs-test: skip needs the network -->
```python
import urllib.request
```

```console
$ mlplab train --batch-size 0
error: batch_size …
$ mlplab graph "x*y" \\
    --x 2 --y 3
```
'''


@pytest.fixture
def blocks(tmp_path):
    path = tmp_path / "page.md"
    path.write_text(PAGE, encoding="utf-8")
    return read_blocks(path, "page.md")


def test_a_text_block_right_after_python_is_its_output(blocks):
    first, shown, diagram, skipped, console = blocks
    assert first.output is shown and shown.approximate
    assert diagram.lang == "text" and skipped.output is None
    assert (first.line, first.where) == (4, "page.md, block 1 (python, line 4)")


def test_markers_and_console_commands(blocks):
    assert blocks[3].skip_reason == "needs the network" and blocks[0].skip_reason is None
    assert shell_commands(blocks[4].code) == [
        ("mlplab train --batch-size 0", ["error: batch_size …"]),
        ('mlplab graph "x*y"      --x 2 --y 3', [])]
    assert shell_commands("make run   # not mlplab\nmlplab run \\\n  --seed 1\n") == [
        ("make run   # not mlplab", []), ("mlplab run    --seed 1", [])]


def test_the_printed_output_is_compared(blocks):
    run_python(blocks[0], {})  # 2 is within 5 % of 2.01
    blocks[0].output.marker = ""
    with pytest.raises(AssertionError, match="prints something else"):
        run_python(blocks[0], {})


@pytest.mark.parametrize("shown, printed, approximate, ok", [
    ("True\n", "True\n\n", False, True),
    ("{'loss': ..., 'accuracy': ...}", "{'loss': 0.1, 'accuracy': 0.9}", False, True),
    ("error: x …", "error: x must be positive", False, True),
    ("0.98", "0.99", False, False),
    ("loss 0.50, acc 0.98", "loss 0.51, acc 0.99", True, True),
    ("loss 0.50", "loss 0.60", True, False),
    ("loss 0.50", "cost 0.50", True, False),
])
def test_outputs_match(shown, printed, approximate, ok):
    assert outputs_match(shown, printed, approximate) is ok
