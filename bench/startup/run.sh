#!/usr/bin/env bash
# Fixed start-up cost: `constable check` on a git repository of one README
# (made here, in a temporary directory) and `constable --version`, for each
# binary given, RUNS runs per round, ROUNDS rounds interleaved across the
# binaries so that a machine slowing down meanwhile hurts them alike. Prints
# one Markdown row per binary and command: median and fastest wall time in
# milliseconds, and the round medians.
#
#   make startup-bench
#   ROUNDS=3 RUNS=40 bash bench/startup/run.sh CONSTITUTION CONSTABLE [CONSTABLE...]
#
# The wall time is measured around fork and exec from Python, which adds
# one to two milliseconds to every figure alike; `perf stat -r 40` (the
# figures in docs/benchmarks.md) does not.
set -euo pipefail
constitution=$(realpath "${1:?usage: run.sh CONSTITUTION CONSTABLE...}"); shift
[ $# -gt 0 ] || { echo "startup-bench: name at least one constable binary" >&2; exit 2; }
binaries=()
for binary in "$@"; do binaries+=("$(realpath "$binary")"); done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

repo="$work/one-file"
mkdir -p "$repo"
echo "# one file" > "$repo/README.md"
git -C "$repo" init -q
git -C "$repo" -c user.name=bench -c user.email=bench@example.invalid add README.md
git -C "$repo" -c user.name=bench -c user.email=bench@example.invalid -c commit.gpgsign=false commit -q -m "docs: readme"

python3 - "$constitution" "$repo" "${ROUNDS:-3}" "${RUNS:-40}" "${binaries[@]}" <<'PY'
import statistics, subprocess, sys, time

constitution, repo, rounds, runs, binaries = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
commands = {
    "check, one-file repository": ["check", repo, "--constitution", constitution, "--format", "json"],
    "--version": ["--version"],
}
times = {(b, c): [] for b in binaries for c in commands}
round_medians = {key: [] for key in times}
for _ in range(rounds):
    for binary in binaries:
        for name, arguments in commands.items():
            this_round = []
            for _ in range(runs):
                start = time.perf_counter()
                finished = subprocess.run([binary] + arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                this_round.append((time.perf_counter() - start) * 1000)
                if finished.returncode not in (0, 1):  # 1: findings
                    sys.exit(f"startup-bench: {binary} {name} exited with {finished.returncode}")
            times[(binary, name)] += this_round
            round_medians[(binary, name)].append(statistics.median(this_round))

print("| binary | command | median | fastest | round medians |")
print("|---|---|---|---|---|")
for (binary, name), values in times.items():
    rounds_text = ", ".join(f"{m:.1f}" for m in round_medians[(binary, name)])
    print(f"| {binary} | {name} | {statistics.median(values):.1f} ms | {min(values):.1f} ms | {rounds_text} |")
PY
