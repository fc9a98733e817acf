"""Load many hostile files in one process under a memory limit; print a JSON summary.

Run by the fuzz test as ``python -c "from tests.io.fuzz_child import main; main()" LIST MiB``
where LIST is a JSON file of ``[kind, path]`` pairs. The address-space limit (RLIMIT_AS)
is set to what the process already uses plus MiB, so a loader that tries to allocate
far more than the file holds fails with MemoryError and is counted as a crash.
"""

from __future__ import annotations

import json
import resource
import sys
import time


def _virtual_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * resource.getpagesize()


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    """Reset the peak resident size (VmHWM), so each case's own peak can be read."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def _try(kind: str, path: str) -> str:
    import mlplab as ml

    try:
        if kind == "model":
            ml.load(path, with_metadata=True)
        else:
            ml.io.load_state(path, kind="checkpoint")
    except ml.io.ModelFileError as err:
        message = str(err)
        if "\n" in message or not message.startswith(path):
            return f"crash: badly formed message {message[:200]!r}"
        return "refused"
    except BaseException as err:  # anything else is what the fuzz test looks for
        return f"crash: {type(err).__name__}: {str(err)[:200]}"
    return "loaded"


def main() -> None:
    import mlplab  # noqa: F401  (imported before the limit: its own size is not the loader's)

    cases = json.loads(open(sys.argv[1]).read())
    headroom = int(sys.argv[2]) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (_virtual_bytes() + headroom, resource.RLIM_INFINITY))
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcomes, worst, slowest = {}, ("", 0), ("", 0.0)
    for kind, path in cases:
        per_case = _reset_peak()
        start, before = time.perf_counter(), _status_kib("VmRSS")
        outcomes[path] = _try(kind, path)
        peak = _status_kib("VmHWM") if per_case else _status_kib("VmRSS")
        worst = max(worst, (path, peak - before), key=lambda pair: pair[1])
        slowest = max(slowest, (path, time.perf_counter() - start), key=lambda pair: pair[1])
    print(json.dumps({"outcomes": outcomes, "baseline_kib": baseline, "per_case_peak": per_case,
                      "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "worst_growth_kib": worst, "slowest_s": slowest}))
