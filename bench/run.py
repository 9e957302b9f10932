#!/usr/bin/env python3
"""Runs the TLS libraries' benchmark programs side by side and reports the figures.

Every program (bench-<lib>, built from bench/) measures one library with the same driver; this
runner makes the certificates, checks each library refuses bad chains, then runs each timed
figure with one process per program (libraries and the crypto floor) kept alive for the whole
figure and measured in rounds of short slices, interleaved, the order changing per round; it
takes the median over the rounds (a ratio: of the per-round ratios), prints a table, and
writes RESULTS.md and a PNG chart of the ratios to OpenSSL. `make bench` runs it in full;
`--quick` (the CTest) only proves that every program works, through the same slices, and
produces sane output.
"""

import argparse
import datetime
import json
import math
import os
import platform
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOST = "server.padlock.test"
BASELINE = "openssl"
FLOOR = "floor"

# Which loaded library (and so which Debian package) each program measures.
LIBRARY_FILES = {
    "padlock": [r"/libpadlock\.so", r"/libcrypto\.so\.3$"],
    "openssl": [r"/libssl\.so\.3$", r"/libcrypto\.so\.3$"],
    "boringssl": [r"/android/libssl\.so", r"/android/libcrypto\.so"],
    "gnutls": [r"/libgnutls\.so", r"/libnettle\.so", r"/libhogweed\.so", r"/libgmp\.so"],
    "wolfssl": [r"/libwolfssl\.so"],
    FLOOR: [r"/libcrypto\.so\.3$"],
}

# BoringSSL offers no API to choose a TLS 1.3 suite; it prefers ChaCha20-Poly1305 only on CPUs
# without AES instructions, so its ChaCha20 figure runs with those masked (ChaCha20 and Poly1305
# do not use them). See RESULTS.md.
BORINGSSL_NO_AESNI = {"OPENSSL_ia32cap": "~0x200000000000000"}


class Figure:
    """One measurement every program makes: its arguments, and the metrics it reports."""

    def __init__(self, fid, title, short, mode, args, metrics, floor=None, env=None, base=None):
        self.id = fid
        self.title = title
        self.short = short  # for the terminal table and the chart
        self.mode = mode
        self.args = args
        self.metrics = metrics  # [(json key, label, unit, higher_is_better)]
        self.floor = floor  # the bench-floor arguments for the same figure, or None
        self.env = env or {}  # {lib: extra environment}
        self.base = base or fid  # the figure whose OpenSSL runs the ratios are taken to

    @property
    def headline(self):
        return self.metrics[0][0]


HS_METRICS = [
    ("per_s", "handshake pairs/s", "/s", True),
    ("client_us", "client CPU µs", "µs", False),
    ("server_us", "server CPU µs", "µs", False),
]


def figures():
    out = [
        Figure("hs_ecdsa", "Full handshake, ECDSA P-256 leaf", "handshake ECDSA", "handshake",
               ["--leaf", "ecdsa"], HS_METRICS, floor=["--mode", "handshake", "--leaf", "ecdsa"]),
        Figure("hs_ecdsa_cache", "Full handshake, ECDSA P-256 leaf, client's verified-chain "
               "cache on (ratios to OpenSSL's full ECDSA handshake)", "ECDSA cached chain",
               "handshake", ["--leaf", "ecdsa", "--chain-cache", "on"], HS_METRICS,
               floor=["--mode", "handshake", "--leaf", "ecdsa"], base="hs_ecdsa"),
        Figure("hs_rsa", "Full handshake, RSA-2048 leaf", "handshake RSA", "handshake",
               ["--leaf", "rsa"], HS_METRICS, floor=["--mode", "handshake", "--leaf", "rsa"]),
        Figure("resume", "Resumed handshake (ticket, PSK with X25519)", "resumption", "resume",
               [], HS_METRICS, floor=["--mode", "resume"]),
    ]
    for suite, name, short in (("aes128gcm", "AES-128-GCM", "AES128"),
                               ("aes256gcm", "AES-256-GCM", "AES256"),
                               ("chacha20", "ChaCha20-Poly1305", "ChaCha")):
        for size in (16384, 1024):
            args = ["--suite", suite, "--write-size", str(size)]
            env = {"boringssl": BORINGSSL_NO_AESNI} if suite == "chacha20" else {}
            out.append(Figure(f"bulk_{suite}_{size}", f"Bulk {name}, {size // 1024} KiB writes",
                              f"{short} {size // 1024}K", "bulk", args,
                              [("mb_per_s", "MB/s", "MB/s", True)],
                              floor=["--mode", "bulk"] + args, env=env))
    out.append(Figure("memory", "Memory", "memory", "memory", [], [
        ("idle_client_bytes", "idle client bytes", "B", False),
        ("idle_server_bytes", "idle server bytes", "B", False),
        ("peak_pair_bytes", "peak bytes, one handshake pair", "B", False),
        ("client_calls", "client malloc calls / handshake", "", False),
        ("server_calls", "server malloc calls / handshake", "", False),
    ]))
    return out


# ---- running the programs ----------------------------------------------------------------------

class BenchError(Exception):
    pass


def run_json(cmd, env=None, timeout=900):
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=timeout,
                          check=False)
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(cmd)} exited with {proc.returncode}:\n{proc.stderr.strip()}")
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if len(lines) != 1:
        raise BenchError(f"{' '.join(cmd)} printed no result:\n{proc.stdout}{proc.stderr}")
    return json.loads(lines[0])


def discover(bin_dir):
    """The library programs present: OpenSSL first (the baseline), padlock, then by name."""
    libs = sorted(p.name[len("bench-"):] for p in bin_dir.glob("bench-*")
                  if p.is_file() and os.access(p, os.X_OK) and p.name != f"bench-{FLOOR}")
    return sorted(libs, key=lambda lib: (lib != BASELINE, lib != "padlock", lib))


def packages_of(program, lib):
    """Debian packages (with versions) of the libraries `program` loads for `lib`."""
    patterns = LIBRARY_FILES.get(lib, [])
    out = subprocess.run(["ldd", str(program)], capture_output=True, text=True, check=False).stdout
    found = []
    for m in re.finditer(r"=>\s+(\S+)", out):
        path = os.path.realpath(m.group(1))
        if not any(re.search(p, path) for p in patterns):
            continue
        for candidate in (path, path.replace("/usr/lib/", "/lib/", 1)):
            q = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True,
                               check=False)
            if q.returncode == 0:
                pkg = q.stdout.split(":")[0].strip()
                ver = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg],
                                     capture_output=True, text=True, check=False).stdout
                if f"{pkg} {ver}" not in found:
                    found.append(f"{pkg} {ver}")
                break
    return ", ".join(found) if found else "not from a Debian package"


def machine():
    info = {}
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.*)", cpuinfo)
    flags = re.search(r"flags\s*:\s*(.*)", cpuinfo)
    info["cpu"] = model.group(1).strip() if model else platform.processor()
    wanted = ["aes", "pclmulqdq", "avx2", "adx", "bmi2", "sha_ni", "avx512f"]
    have = set(flags.group(1).split()) if flags else set()
    info["cpu features"] = " ".join(f for f in wanted if f in have)
    info["cores"] = str(os.cpu_count())
    mem = re.search(r"MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text())
    info["memory"] = f"{int(mem.group(1)) / 1048576:.1f} GiB" if mem else "unknown"
    info["kernel"] = platform.release()
    deb = Path("/etc/debian_version")
    info["os"] = f"Debian {deb.read_text().strip()}" if deb.exists() else platform.platform()
    cc = subprocess.run(["gcc", "--version"], capture_output=True, text=True, check=False)
    info["compiler"] = cc.stdout.splitlines()[0] if cc.returncode == 0 else "unknown"
    return info


def source_revision():
    """The commit padlock was built from (this tree), marked when it has local changes."""
    out = subprocess.run(["git", "-C", str(HERE), "describe", "--always", "--dirty"],
                         capture_output=True, text=True, check=False)
    return f"commit {out.stdout.strip()}" if out.returncode == 0 else "source tree without git"


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# ---- the run ---------------------------------------------------------------------------------------

def program_args(fig, opts):
    """Per-figure arguments for the library programs, full or quick: a memory run's size, or a
    slice's (the timed figures)."""
    if opts.quick:
        if fig.mode == "memory":
            return ["--pairs", str(opts.pairs), "--warmup", "3"]
        if fig.mode == "bulk":
            return ["--iterations", "150"]
        return ["--iterations", "100", "--warmup", "5"]
    if fig.mode == "memory":
        return ["--pairs", str(opts.pairs)]
    return ["--min-time", str(opts.slice_time)]


def floor_args(opts):
    return ["--iterations", "100"] if opts.quick else ["--min-time", str(opts.slice_time)]


def check_result(lib, fig, res):
    """A result is either n/a with a reason, or ok with positive, finite metrics."""
    status = res.get("status")
    if status == "n/a":
        if not res.get("reason"):
            raise BenchError(f"{lib} {fig.id}: n/a without a reason")
        return
    if status != "ok":
        raise BenchError(f"{lib} {fig.id}: status {status!r}")
    keys = [m[0] for m in fig.metrics] if lib != FLOOR else [fig.headline]
    for key in keys:
        v = res.get(key)
        if not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
            raise BenchError(f"{lib} {fig.id}: {key} = {v!r}")


def command(opts, fig, lib, certs):
    """The command line and extra environment of lib's program for fig."""
    exe = str(opts.bin_dir / f"bench-{lib}")
    env = dict(fig.env.get(lib, {}))
    if lib == FLOOR:
        cmd = [exe, "--certs", str(certs)] + fig.floor + floor_args(opts)
    else:
        cmd = [exe, "--certs", str(certs), "--host", HOST, "--mode", fig.mode]
        cmd += fig.args + program_args(fig, opts)
        if fig.mode == "memory":
            env["LD_PRELOAD"] = str(opts.bin_dir / "libbench_alloc.so")
    return cmd, env


class SliceProgram:
    """One program kept running for all the slices of a figure (--slices on, see
    bench/harness/measure.h): it sets up and warms up once, answers its first line ("ready", or
    n/a and exits), then one JSON line per "run" sent to it; closing its input ends it."""

    def __init__(self, cmd, env, timeout):
        self.cmd = cmd
        self.timeout = timeout
        self.pending = b""  # output read but not yet returned as lines
        full_env = dict(os.environ)
        full_env.update(env)
        # stderr goes to a file: nothing reads it while the program runs, so a pipe could fill.
        self.stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self.proc = subprocess.Popen(cmd + ["--slices", "on"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr, bufsize=0,
                                     env=full_env)

    def _fail(self, what):
        self.stop()
        self.stderr.seek(0)
        raise BenchError(f"{' '.join(self.cmd)}: {what}:\n{self.stderr.read().strip()}")

    def read(self):
        """The program's next JSON line (other output is skipped)."""
        fd = self.proc.stdout.fileno()
        while True:
            while b"\n" not in self.pending:
                ready, _, _ = select.select([fd], [], [], self.timeout)
                if not ready:
                    self._fail(f"no answer within {self.timeout} s")
                chunk = os.read(fd, 65536)
                if not chunk:
                    self._fail(f"exited with {self.proc.wait()}")
                self.pending += chunk
            line, self.pending = self.pending.split(b"\n", 1)
            if line.startswith(b"{"):
                return json.loads(line)

    def run_slice(self):
        try:
            self.proc.stdin.write(b"run\n")
        except BrokenPipeError:
            self._fail(f"exited with {self.proc.wait()}")
        return self.read()

    def close(self):
        """Ends the program by closing its input; it must exit cleanly."""
        self.proc.stdin.close()
        try:
            code = self.proc.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self._fail("did not exit at the end of its input")
        if code != 0:
            self._fail(f"exited with {code}")
        self.stderr.close()

    def stop(self):
        """Kills the program (by its pid) if it is still running."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def slice_order(programs, rnd):
    """The order of the programs' slices in round rnd: the list rotated by one every two
    rounds, backwards in odd rounds, so that every program takes every place and each of two
    neighbours runs first as often as second."""
    k = (rnd // 2) % len(programs)
    order = programs[k:] + programs[:k]
    return order[::-1] if rnd % 2 else order


def run_sliced(opts, fig, programs, certs, record):
    """A timed figure: one process per program for the whole figure, measured in opts.rounds
    rounds of one slice each, the programs' slices interleaved (slice_order)."""
    procs = {}
    try:
        for lib in programs:
            if lib == FLOOR and fig.floor is None:
                continue
            cmd, env = command(opts, fig, lib, certs)
            procs[lib] = (SliceProgram(cmd, env, timeout=600), env)
        live = []
        for lib, (prog, env) in procs.items():
            first = prog.read()
            if first.get("status") == "n/a":
                check_result(lib, fig, first)
                prog.close()
                record(fig, lib, first, 0, env)
            elif first.get("status") == "ready":
                live.append(lib)
            else:
                raise BenchError(f"{lib} {fig.id}: first line {first!r}")
        for rnd in range(opts.rounds):
            for lib in slice_order(live, rnd):
                prog, env = procs[lib]
                res = prog.run_slice()
                check_result(lib, fig, res)
                record(fig, lib, res, rnd, env)
        for lib in live:
            procs[lib][0].close()
    finally:
        for prog, _ in procs.values():
            prog.stop()


def run_memory(opts, fig, programs, certs, record):
    """The memory figure: exact counts, one process per library and repetition, the libraries
    round-robin with the first one rotating per repetition."""
    for rep in range(opts.reps):
        order = programs[rep % len(programs):] + programs[:rep % len(programs)]
        for lib in order:
            cmd, env = command(opts, fig, lib, certs)
            res = run_json(cmd, env)
            check_result(lib, fig, res)
            record(fig, lib, res, rep, env)


def run_all(opts, libs, figs, certs, log):
    results = {}  # (fig id, lib) -> [result per round]

    def record(fig, lib, res, rnd, env):
        res.update(round=rnd, figure=fig.id, env=env)
        results.setdefault((fig.id, lib), []).append(res)
        log.write(json.dumps(res) + "\n")
        log.flush()

    # padlock between its references (the floor and OpenSSL), then the other peers: with the
    # order of slice_order, the slices of each of those pairs are adjacent in most rounds.
    programs = [FLOOR] + sorted(libs, key=lambda lib: (lib != "padlock", lib != BASELINE))
    for fig in figs:
        if fig.mode == "memory":
            run_memory(opts, fig, libs, certs, record)
        else:
            run_sliced(opts, fig, programs, certs, record)
        print(f"bench: {fig.short} done (load {load_average()})", file=sys.stderr)
    return results


class Summary:
    """Medians over the rounds, and what went n/a and why. A ratio is the median of the
    per-round ratios: within a round the programs of a figure ran one short slice each, back to
    back, so a drift of the machine's speed between rounds cancels out of it."""

    def __init__(self, results, figs):
        self.results = results
        self.base_of = {f.id: f.base for f in figs}
        self.med = {}
        self.spread = {}
        self.na = {}
        for (fid, lib), runs in results.items():
            if runs[0].get("status") == "n/a":
                self.na[(fid, lib)] = runs[0]["reason"]
                continue
            keys = [k for k, v in runs[0].items()
                    if isinstance(v, (int, float)) and k != "round"]
            for k in keys:
                vals = [r[k] for r in runs]
                self.med[(fid, lib, k)] = statistics.median(vals)
                self.spread[(fid, lib, k)] = relative_range(vals)

    def get(self, fid, lib, key):
        return self.med.get((fid, lib, key))

    def ratio(self, fid, lib, key):
        return self.ratio_to(fid, lib, self.base_of.get(fid, fid), BASELINE, key)

    def round_ratios(self, fid, lib, base_fid, base_lib, key):
        """lib's value in fid over base_lib's in base_fid, round by round; None if either is
        missing."""
        if self.get(fid, lib, key) is None or not self.get(base_fid, base_lib, key):
            return None
        base = {r["round"]: r[key] for r in self.results[(base_fid, base_lib)]}
        return [r[key] / base[r["round"]] for r in self.results[(fid, lib)]]

    def ratio_to(self, fid, lib, base_fid, base_lib, key):
        """Median over the rounds of lib's value in fid over base_lib's in base_fid."""
        ratios = self.round_ratios(fid, lib, base_fid, base_lib, key)
        return None if ratios is None else statistics.median(ratios)

    def ratio_quartiles(self, fid, lib, base_fid, base_lib, key):
        """The lower and upper quartiles of those per-round ratios."""
        ratios = self.round_ratios(fid, lib, base_fid, base_lib, key)
        if ratios is None:
            return None
        if len(ratios) < 2:
            return (ratios[0], ratios[0])
        q = statistics.quantiles(ratios, n=4, method="inclusive")
        return (q[0], q[2])


def relative_range(vals):
    """(max - min) / median: twice what the tables show as ±spread."""
    m = statistics.median(vals)
    return (max(vals) - min(vals)) / m if m else 0.0


# ---- output ------------------------------------------------------------------------------------------

def fmt(v, unit=""):
    if v is None:
        return "n/a"
    if unit in ("B",):
        return f"{v / 1024:.1f} KiB" if v >= 1024 else f"{v:.0f} B"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def fmt_ratio(r):
    return "" if r is None else f"{r:.2f}×"


def print_table(summary, libs, figs):
    cols = libs + [FLOOR]
    w = max(len(f"{f.short}: {m[1]}") for f in figs for m in f.metrics) + 2
    print(f"{'figure':<{w}}" + "".join(f"{c:>12}" for c in cols))
    for fig in figs:
        for key, label, unit, _ in fig.metrics:
            row = f"{fig.short + ': ' + label:<{w}}"
            for lib in cols:
                v = summary.get(fig.id, lib, key)
                if lib == FLOOR and fig.floor is None:
                    cell = ""
                elif v is None:
                    cell = "n/a"
                else:
                    cell = fmt(v, unit)
                row += f"{cell:>12}"
            print(row)


def lib_cell(summary, fid, lib, key, unit):
    v = summary.get(fid, lib, key)
    if v is None:
        return "n/a"
    r = summary.ratio(fid, lib, key) if lib != BASELINE else None
    return fmt(v, unit) + (f" ({fmt_ratio(r)})" if r is not None else "")


def write_chart(summary, libs, figs, out_dir, work_dir):
    """Two panels of ratios to OpenSSL: speed (higher is better), memory (lower is better)."""
    gnuplot = shutil.which("gnuplot")
    if gnuplot is None:
        raise BenchError("gnuplot is not installed (scripts/deps.sh installs it)")
    others = [lib for lib in libs if lib != BASELINE]
    speed_rows = [(fig.short, [summary.ratio(fig.id, lib, fig.headline)
                               for lib in others + [FLOOR]])
                  for fig in figs if fig.mode != "memory"]
    mem_fig = next(f for f in figs if f.mode == "memory")
    mem_labels = {"idle_client_bytes": "idle client", "idle_server_bytes": "idle server",
                  "peak_pair_bytes": "handshake peak", "client_calls": "client mallocs",
                  "server_calls": "server mallocs"}
    mem_rows = [(mem_labels[k], [summary.ratio(mem_fig.id, lib, k) for lib in others])
                for k, *_ in mem_fig.metrics]

    def write_dat(path, header, rows):
        with open(path, "w", encoding="utf-8") as f:
            f.write("figure " + " ".join(f'"{h}"' for h in header) + "\n")
            for label, vals in rows:
                cells = " ".join("NaN" if v is None else f"{v:.4f}" for v in vals)
                f.write(f'"{label}" {cells}\n')

    tmp = work_dir / "chart"
    tmp.mkdir(exist_ok=True)
    write_dat(tmp / "speed.dat", others + ["crypto floor"], speed_rows)
    write_dat(tmp / "memory.dat", others, mem_rows)

    def axis(rows):
        """A log-2 axis from a power of two below the smallest ratio to one above the largest."""
        vals = [v for _, vs in rows for v in vs if v]
        lo = min([0.5] + vals)
        hi = max([2.0] + vals)
        e_lo = math.floor(math.log2(lo))
        e_hi = math.ceil(math.log2(hi))
        tics = ", ".join(f'"{2.0 ** e:g}" {2.0 ** e}' if e >= 0 else f'"1/{2 ** -e}" {2.0 ** e}'
                         for e in range(e_lo, e_hi + 1))
        return f"set yrange [{2.0 ** e_lo}:{2.0 ** e_hi}]\nset ytics ({tics})"

    def plot(dat, n):
        return "plot " + ", ".join(
            f"'{dat}' using {i + 2}:xtic(1) title columnheader({i + 2})" for i in range(n))

    script = f"""
set terminal pngcairo size 1400,1000 font "DejaVu Sans,11"
set output '{out_dir / "ratios.png"}'
set datafile missing "NaN"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set logscale y 2
set grid ytics
set key outside right top
set xtics rotate by -25 nomirror
set multiplot layout 2,1 title "Ratios to OpenSSL 3.0 libssl (dashed line = OpenSSL)"
set title "Speed: handshakes per CPU-second, bulk MB per CPU-second (higher is better)"
{axis(speed_rows)}
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lw 2 dt 2 front
{plot(tmp / "speed.dat", len(others) + 1)}
set title "Memory: heap bytes and malloc calls (lower is better)"
{axis(mem_rows)}
{plot(tmp / "memory.dat", len(others))}
unset multiplot
"""
    (tmp / "ratios.gp").write_text(script, encoding="utf-8")
    proc = subprocess.run([gnuplot, str(tmp / "ratios.gp")], capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise BenchError(f"gnuplot failed:\n{proc.stderr}")


# The project's targets for padlock (the performance issue): (what, measured value, test, goal).
# A ratio's value is the median of its per-round ratios, shown with their quartiles.
def target_rows(summary, libs):
    pl = "padlock"
    peers = [lib for lib in libs if lib != pl]
    rows = []

    def r(fid, lib, base_fid, base_lib, key):
        return (summary.ratio_to(fid, lib, base_fid, base_lib, key),
                summary.ratio_quartiles(fid, lib, base_fid, base_lib, key))

    def add(what, value, unit, ok):
        quartiles = None
        if unit == "x":
            value, quartiles = value
        if value is None:
            shown = "n/a"
        elif unit == "x":
            shown = f"{value:.2f}× ({quartiles[0]:.2f}-{quartiles[1]:.2f})"
        else:
            shown = fmt(value, unit)
        met = "n/a" if value is None else ("met" if ok(value) else "**not met**")
        rows.append((what, shown, met))

    add("full handshakes/s, ECDSA leaf, ≥ 2.2× OpenSSL",
        r("hs_ecdsa", pl, "hs_ecdsa", BASELINE, "per_s"), "x", lambda v: v >= 2.2)
    add("full handshakes/s, ECDSA leaf, ≥ 1.8× BoringSSL",
        r("hs_ecdsa", pl, "hs_ecdsa", "boringssl", "per_s"), "x", lambda v: v >= 1.8)
    for fid, leaf in (("hs_ecdsa", "ECDSA"), ("hs_rsa", "RSA")):
        for side in ("client", "server"):
            add(f"{side} CPU per full handshake, {leaf} leaf, ≤ 1.2× crypto floor",
                r(fid, pl, fid, FLOOR, f"{side}_us"), "x", lambda v: v <= 1.2)
    add("resumed handshakes/s ≥ 2× OpenSSL",
        r("resume", pl, "resume", BASELINE, "per_s"), "x", lambda v: v >= 2.0)
    bulk = "bulk_aes128gcm_16384"
    add("bulk AES-128-GCM, 16 KiB writes, ≥ 0.95× raw libcrypto (floor)",
        r(bulk, pl, bulk, FLOOR, "mb_per_s"), "x", lambda v: v >= 0.95)
    best = [r(bulk, pl, bulk, peer, "mb_per_s") for peer in peers]
    best = [v for v in best if v[0] is not None]
    add("bulk AES-128-GCM, 16 KiB writes, above every peer (lowest ratio to a peer)",
        min(best) if best else (None, None), "x", lambda v: v > 1.0)
    for key, what in (("idle_client_bytes", "heap per idle client connection ≤ 3 KiB"),
                      ("idle_server_bytes", "heap per idle server connection ≤ 3 KiB")):
        add(what, summary.get("memory", pl, key), "B", lambda v: v <= 3072)
    add("peak heap of one handshake pair ≤ 20 KB (20,000 B)",
        summary.get("memory", pl, "peak_pair_bytes"), "B", lambda v: v <= 20000)
    c = summary.get("memory", pl, "client_calls")
    sv = summary.get("memory", pl, "server_calls")
    add("malloc calls per full handshake pair ≤ 150",
        None if c is None or sv is None else c + sv, "", lambda v: v <= 150)
    add("(separate figure) full handshakes/s with the verified-chain cache, × OpenSSL",
        r("hs_ecdsa_cache", pl, "hs_ecdsa", BASELINE, "per_s"), "x", lambda v: v >= 2.2)
    add("(separate figure) full handshakes/s with the verified-chain cache, × BoringSSL",
        r("hs_ecdsa_cache", pl, "hs_ecdsa", "boringssl", "per_s"), "x", lambda v: v >= 1.8)
    return rows


def write_results(path, opts, summary, libs, figs, meta):
    out = []
    w = out.append
    title = "padlock benchmarks: TLS libraries side by side"
    w(f"# {title}{' — QUICK MODE' if opts.quick else ''}\n")
    if opts.quick:
        w("**Quick mode: a few hundred iterations to prove the harness works. These numbers are "
          "not figures; run `make bench` for those.**\n")
    if opts.quick:
        w(f"Generated by bench/run.py --quick on {meta['date']}: {opts.rounds} rounds of "
          f"interleaved slices of 100 handshakes or 150 writes per program and figure; "
          f"memory: {opts.pairs} connection pairs per library, {opts.reps} time(s).\n")
    else:
        w(f"Generated by `make bench` (bench/run.py) on {meta['date']}: {opts.rounds} rounds "
          f"per figure, each one interleaved slice of at least {opts.slice_time:g} s of measured "
          "CPU time per program; each figure is the median of its rounds (memory: "
          f"{opts.reps} repetitions of {opts.pairs} connection pairs). Do not edit by hand.\n")
    w("## Machine\n")
    for k, v in meta["machine"].items():
        w(f"- {k}: {v}")
    w(f"- load average: {meta['load_start']} at start, {meta['load_end']} at the end "
      "(a shared machine: CPU time, not wall time, is measured)\n")
    w("## Libraries\n")
    w("| program | version reported at run time | Debian packages |")
    w("|---|---|---|")
    for lib in libs + [FLOOR]:
        w(f"| bench-{lib} | {meta['versions'][lib]} | {meta['packages'][lib]} |")
    w("")
    w("`floor` is not a TLS library: it is OpenSSL 3.0's libcrypto doing only the primitives "
      "(see Method), the floor under OpenSSL's libssl and under padlock.\n")

    w("## Results\n")
    w("Values are medians over the rounds (memory: the repetitions). Ratios in parentheses are "
      "to OpenSSL 3.0 libssl, the median of the per-round ratios. For rates higher is better; "
      "for CPU time, bytes and calls lower is better. *Spread* is half the range of a library's "
      "rounds relative to their median: the machine is shared, and absolute values drift more "
      "than ratios.\n")
    for fig in figs:
        if fig.mode not in ("handshake", "resume"):
            continue
        w(f"### {fig.title}\n")
        w("| library | pairs / CPU-second | client µs | server µs | client above floor µs "
          "| server above floor µs | client / server bytes sent | spread |")
        w("|---|---|---|---|---|---|---|---|")
        fc = summary.get(fig.id, FLOOR, "client_us")
        fs = summary.get(fig.id, FLOOR, "server_us")
        for lib in libs:
            c = summary.get(fig.id, lib, "client_us")
            s = summary.get(fig.id, lib, "server_us")
            if c is None:
                w(f"| {lib} | n/a | | | | | | |")
                continue
            cb = summary.get(fig.id, lib, "client_bytes")
            sb = summary.get(fig.id, lib, "server_bytes")
            spread = summary.spread.get((fig.id, lib, "per_s"), 0) * 100
            w(f"| {lib} | {lib_cell(summary, fig.id, lib, 'per_s', '/s')} "
              f"| {lib_cell(summary, fig.id, lib, 'client_us', 'µs')} "
              f"| {lib_cell(summary, fig.id, lib, 'server_us', 'µs')} "
              f"| {fmt(c - fc if fc else None)} | {fmt(s - fs if fs else None)} "
              f"| {cb:.0f} / {sb:.0f} | ±{spread / 2:.1f}% |")
        w(f"| crypto floor | {fmt(summary.get(fig.id, FLOOR, 'per_s'))} | {fmt(fc)} "
          f"| {fmt(fs)} | | | | |")
        w(f"| crypto floor, operations in handshake order (information) | "
          f"| {fmt(summary.get(fig.id, FLOOR, 'client_in_order_us'))} "
          f"| {fmt(summary.get(fig.id, FLOOR, 'server_in_order_us'))} | | | | |")
        if fig.id == "resume":
            tickets = ", ".join(f"{lib} {fmt(summary.get(fig.id, lib, 'tickets'))}"
                                for lib in libs if summary.get(fig.id, lib, "tickets"))
            w(f"\nTickets received per resumed handshake: {tickets}.")
        w("")
    bulk = [f for f in figs if f.mode == "bulk"]
    w("### Bulk transfer, one direction (MB of application data per CPU-second of sealing "
      "plus opening)\n")
    w("| library | " + " | ".join(f.title.replace("Bulk ", "") for f in bulk) + " |")
    w("|---|" + "---|" * len(bulk))
    for lib in libs:
        w(f"| {lib} | " + " | ".join(lib_cell(summary, f.id, lib, "mb_per_s", "MB/s")
                                     for f in bulk) + " |")
    w("| crypto floor | " + " | ".join(fmt(summary.get(f.id, FLOOR, "mb_per_s"))
                                       for f in bulk) + " |")
    w("\nShare of the crypto floor reached:\n")
    w("| library | " + " | ".join(f.title.replace("Bulk ", "") for f in bulk) + " |")
    w("|---|" + "---|" * len(bulk))
    for lib in libs:
        cells = []
        for f in bulk:
            v = summary.get(f.id, lib, "mb_per_s")
            fl = summary.get(f.id, FLOOR, "mb_per_s")
            cells.append("n/a" if v is None or not fl else f"{100 * v / fl:.0f}%")
        w(f"| {lib} | " + " | ".join(cells) + " |")
    w("")
    mem = next(f for f in figs if f.mode == "memory")
    w(f"### Memory ({opts.pairs} idle connection pairs; heap as malloc_usable_size)\n")
    w("| library | " + " | ".join(m[1] for m in mem.metrics) + " |")
    w("|---|" + "---|" * len(mem.metrics))
    for lib in libs:
        w(f"| {lib} | " + " | ".join(lib_cell(summary, mem.id, lib, k, u)
                                     for k, _, u, _ in mem.metrics) + " |")
    w("")
    if summary.na:
        w("### Not measured\n")
        for (fid, lib), reason in sorted(summary.na.items()):
            title = next(f.title for f in figs if f.id == fid)
            w(f"- {lib}, {title}: {reason}.")
        w("")
    w("![Ratios to OpenSSL](ratios.png)\n")
    if "padlock" in libs:
        w("## padlock against its targets\n")
        w("Computed from the figures above (ratios are medians of per-round ratios, in "
          "parentheses the lower and upper quartiles of those ratios; "
          "\"zero allocations per record in steady state\" is asserted by "
          "tests/unit/test_record.c, not measured here).\n")
        w("| target | measured | |")
        w("|---|---|---|")
        for what, shown, met in target_rows(summary, libs):
            w(f"| {what} | {shown} | {met} |")
        w("")
        w((HERE / "TARGETS.md").read_text(encoding="utf-8"))
    w((HERE / "METHOD.md").read_text(encoding="utf-8"))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin-dir", type=Path, required=True,
                    help="the folder holding bench-<lib> and libbench_alloc.so")
    ap.add_argument("--out-dir", type=Path, default=HERE,
                    help="where RESULTS.md and ratios.png go (default: bench/)")
    ap.add_argument("--quick", action="store_true",
                    help="a few hundred iterations per figure: proves the harness works")
    ap.add_argument("--rounds", type=int,
                    help="rounds of slices per timed figure (default 45, quick 2)")
    ap.add_argument("--slice-time", type=float, default=0.1,
                    help="seconds of measured CPU per slice (default 0.1)")
    ap.add_argument("--reps", type=int,
                    help="repetitions of the memory figure (default 5, quick 1)")
    ap.add_argument("--pairs", type=int, help="idle connection pairs (default 1000, quick 100)")
    ap.add_argument("--require", default="",
                    help="comma-separated libraries whose programs must be present")
    opts = ap.parse_args()
    opts.bin_dir = opts.bin_dir.resolve()
    opts.out_dir = opts.out_dir.resolve()
    opts.rounds = opts.rounds or (2 if opts.quick else 45)
    opts.reps = opts.reps or (1 if opts.quick else 5)
    opts.pairs = opts.pairs or (100 if opts.quick else 1000)
    if opts.rounds < 1 or opts.reps < 1 or opts.pairs < 1 or opts.slice_time <= 0:
        ap.error("--rounds, --reps, --pairs and --slice-time must be positive")

    try:
        libs = discover(opts.bin_dir)
        missing = [lib for lib in opts.require.split(",") if lib and lib not in libs]
        if missing:
            raise BenchError(f"missing programs: {', '.join('bench-' + m for m in missing)} "
                             "(is the library installed? scripts/deps.sh installs them)")
        if BASELINE not in libs or not (opts.bin_dir / f"bench-{FLOOR}").exists():
            raise BenchError(f"bench-{BASELINE} and bench-{FLOOR} are required in {opts.bin_dir}")
        opts.out_dir.mkdir(parents=True, exist_ok=True)
        certs = opts.bin_dir / "certs"
        subprocess.run([str(HERE / "gen-certs.sh"), str(certs), HOST], check=True)

        meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                "machine": machine(), "load_start": load_average(), "versions": {},
                "packages": {}}
        for lib in libs + [FLOOR]:
            exe = opts.bin_dir / f"bench-{lib}"
            meta["versions"][lib] = run_json([str(exe), "--mode", "version"])["version"]
            if lib == "padlock":
                meta["versions"][lib] += f" ({source_revision()})"
            meta["packages"][lib] = packages_of(exe, lib)
        for lib in libs:
            res = run_json([str(opts.bin_dir / f"bench-{lib}"), "--certs", str(certs),
                            "--host", HOST, "--mode", "selftest"])
            if res.get("status") != "ok":
                raise BenchError(f"{lib}: selftest: {res}")
        print(f"bench: {', '.join(libs)} and the crypto floor; chains and host names verified "
              "by every client", file=sys.stderr)

        figs = figures()
        with open(opts.bin_dir / "bench-raw.jsonl", "w", encoding="utf-8") as log:
            results = run_all(opts, libs, figs, certs, log)
        meta["load_end"] = load_average()
        summary = Summary(results, figs)
        for lib in libs:
            if all((f.id, lib) in summary.na for f in figs):
                raise BenchError(f"{lib}: every figure is n/a")
        print_table(summary, libs, figs)
        write_chart(summary, libs, figs, opts.out_dir, opts.bin_dir)
        write_results(opts.out_dir / "RESULTS.md", opts, summary, libs, figs, meta)
        print(f"bench: wrote {opts.out_dir / 'RESULTS.md'} and {opts.out_dir / 'ratios.png'}; "
              f"raw runs in {opts.bin_dir / 'bench-raw.jsonl'}", file=sys.stderr)
    except (BenchError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        print(f"bench: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
