#!/usr/bin/env python3
"""Checks the slice protocol of the benchmark programs (--slices on, bench/harness/measure.h)
that bench/run.py relies on to interleave them: a ready line after the warm-up, exactly one
result per "run" of exactly the size asked for, a clean exit at the end of the input, exit
status 2 for an unknown command or a mode without slices, and an n/a line instead of the ready
line when a library cannot be configured. Used by CTest (bench_slices); no timing is asserted.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOST = "server.padlock.test"


def run(cmd, stdin):
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120,
                          check=False)
    lines = [json.loads(ln) for ln in proc.stdout.splitlines() if ln.startswith("{")]
    return proc.returncode, lines, proc.stderr


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def check_slices(name, cmd, count_key, n):
    """Two slices of n operations each, then the end of the input."""
    code, lines, err = run(cmd + ["--slices", "on", "--iterations", str(n)], "run\nrun\n")
    expect(code == 0, f"{name}: exit status {code}: {err}")
    expect(len(lines) == 3, f"{name}: {len(lines)} lines for a ready line and two slices")
    expect(lines[0].get("status") == "ready", f"{name}: first line {lines[0]}")
    for res in lines[1:]:
        expect(res.get("status") == "ok", f"{name}: slice {res}")
        expect(res.get(count_key) == n, f"{name}: {count_key} {res.get(count_key)}, asked {n}")

    code, lines, err = run(cmd + ["--slices", "on", "--iterations", str(n)], "")
    expect(code == 0 and len(lines) == 1 and lines[0].get("status") == "ready",
           f"{name}: end of input right after the ready line: {code} {lines} {err}")

    code, lines, err = run(cmd + ["--slices", "on", "--iterations", str(n)], "run\nstop\nrun\n")
    expect(code == 2, f"{name}: an unknown command gave exit status {code}")
    expect(len(lines) == 2, f"{name}: {len(lines)} lines before the unknown command")
    expect('"stop"' in err, f"{name}: the error does not name the command: {err}")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin-dir", type=Path, required=True)
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        certs = Path(tmp) / "certs"
        subprocess.run([str(HERE / "gen-certs.sh"), str(certs), HOST], check=True,
                       capture_output=True)
        lib = [str(opts.bin_dir / "bench-padlock"), "--certs", str(certs), "--host", HOST]
        floor = [str(opts.bin_dir / "bench-floor"), "--certs", str(certs)]
        check_slices("padlock handshake", lib + ["--mode", "handshake", "--warmup", "2"],
                     "handshakes", 5)
        check_slices("padlock resume", lib + ["--mode", "resume", "--warmup", "2"],
                     "handshakes", 5)
        check_slices("padlock bulk", lib + ["--mode", "bulk", "--write-size", "16384"],
                     "writes", 8)
        check_slices("floor bulk", floor + ["--mode", "bulk", "--write-size", "16384"],
                     "writes", 8)
        code, lines, err = run(floor + ["--mode", "handshake", "--slices", "on", "--iterations",
                                        "3"], "run\n")
        expect(code == 0 and [r.get("status") for r in lines] == ["ready", "ok"],
               f"floor handshake: {code} {lines} {err}")

        code, _, err = run(lib + ["--mode", "memory", "--slices", "on"], "run\n")
        expect(code == 2 and "usage" in err, f"memory with slices: exit status {code}")

        boringssl = opts.bin_dir / "bench-boringssl"
        if boringssl.exists():
            code, lines, err = run([str(boringssl), "--certs", str(certs), "--host", HOST,
                                    "--mode", "bulk", "--suite", "aes256gcm", "--slices", "on"],
                                   "run\n")
            expect(code == 0 and len(lines) == 1 and lines[0].get("status") == "n/a",
                   f"boringssl AES-256-GCM: an n/a line instead of ready: {code} {lines} {err}")
    print("bench: slice protocol ok")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print(f"bench_slices: {e}", file=sys.stderr)
        sys.exit(1)
