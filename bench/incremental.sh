#!/usr/bin/env bash
# bench/incremental.sh: first run vs. nightly re-run of `gkaudit audit` over
# the bench-size simulated district (no crawler traps), into one database.
#
#   run 1   the first night: every page fetched in full
#   run 2   the next night, nothing changed: conditional GETs, 304s; every
#           unit's findings are reused (audit/reuse.go)
#   run 3   the same at the next day's as-of date, as gkaudit serve runs: the
#           dated checks run again
#   run 4   generation 2 of the district (fresh items, deleted pages, fixed
#           and new defects) on the same ports
#
# For each run: wall time, pages, bytes fetched (from the audit's closing
# line "运行 N 抓取 P 个页面，共 …（B 字节），其中 K 个未变（304）…"), 304 answers,
# database size after the run, and the diff against the run before. The
# table goes to stdout and bench/out/incremental.md.
#
# Environment: PORT (default 18700: the sim takes PORT .. PORT+20), SEED (1),
# SIZE (bench: ~20,000 pages; any size `gkaudit sim --size` takes), GKAUDIT
# (a gkaudit binary to measure instead of building this tree's: another
# commit's, for a before/after).
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/lib.sh
PORT=${PORT:-18700}
SEED=${SEED:-1}
SIZE=${SIZE:-bench}
OUT=bench/out/incremental
MD=bench/out/incremental.md
if [[ $SIZE != bench ]]; then
	OUT=bench/out/incremental-$SIZE
	MD=bench/out/incremental-$SIZE.md
fi
BIN=$OUT/bin
mkdir -p "$OUT" "$BIN"
rm -f "$OUT/incr.db" "$OUT"/run*.txt "$OUT"/run*.txt.diff.json "$OUT"/run*.time

if [[ -n ${GKAUDIT:-} ]]; then
	cp "$GKAUDIT" "$BIN/gkaudit"
else
	go build -o "$BIN/gkaudit" ./cmd/gkaudit
fi

SIM_PID=
stop_sim() {
	if [[ -n $SIM_PID ]]; then
		kill "$SIM_PID" 2>/dev/null || true
		wait "$SIM_PID" 2>/dev/null || true
		SIM_PID=
	fi
}
trap stop_sim EXIT

start_sim() { # generation
	rm -f "$OUT/incr.yaml" "$OUT/sim$1.txt" # a stale banner would pass for the new sim's
	"$BIN/gkaudit" sim --listen "127.0.0.1:$PORT" --size "$SIZE" --seed "$SEED" --traps=false \
		--generation "$1" --config "$OUT/incr.yaml" >"$OUT/sim$1.txt" 2>&1 &
	SIM_PID=$!
	wait_for_sim "$OUT/sim$1.txt" "$SIM_PID" incremental
	lift_budgets "$OUT/incr.yaml"
}

ROWS=()
audit_run() { # label [as-of]
	local start end out line asof=${2:-2020-03-01}
	out="$OUT/run$((${#ROWS[@]} + 1)).txt"
	start=$(date +%s.%N)
	/usr/bin/time -f '%U %S' -o "$out.time" \
		"$BIN/gkaudit" audit --config "$OUT/incr.yaml" --db "$OUT/incr.db" --as-of "$asof" >"$out" 2>/dev/null
	end=$(date +%s.%N)
	local cpu
	cpu=$(awk '{printf "%.1f", $1+$2}' "$out.time")
	# 运行 000002 抓取 22015 个页面，共 1.6 KiB（1624 字节），其中 21990 个未变（304），0 个沿用上次抓取
	line=$(grep -E '^运行 [0-9]+ 抓取 ' "$out")
	local run pages bytes nm
	run=$(sed -E 's/^运行 ([0-9]+) .*/\1/' <<<"$line")
	pages=$(sed -E 's/.* 抓取 ([0-9]+) 个页面.*/\1/' <<<"$line")
	bytes=$(grep -oE '[0-9]+ 字节' <<<"$line" | grep -oE '[0-9]+')
	nm=$(sed -E 's/.*其中 ([0-9]+) 个未变.*/\1/' <<<"$line")
	local size diff=""
	size=$(stat -c %s "$OUT/incr.db")
	if [[ $run != 000001 ]]; then
		"$BIN/gkaudit" diff --db "$OUT/incr.db" --format json >"$out.diff.json"
		diff=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%d new, %d fixed, %d persisting" % (len(d["new"]), len(d["fixed"]), len(d["persisting"])))' "$out.diff.json")
	fi
	ROWS+=("$1|$run|$(awk -v s="$start" -v e="$end" 'BEGIN{printf "%.1f", e-s}')|$cpu|$pages|$bytes|$nm|$size|$diff")
}

start_sim 1
audit_run "first run (generation 1)"
audit_run "re-run, site unchanged"
audit_run "re-run, site unchanged, as of the next day" 2020-03-02
stop_sim
start_sim 2
audit_run "re-run, generation 2"
stop_sim

{
	echo "# gkaudit nightly re-crawl: first run vs. re-runs"
	echo
	echo "$SIZE-size sim without traps (seed $SEED, $(head -1 "$OUT/sim1.txt" | grep -oE '[0-9]+ 个页面' | grep -oE '[0-9]+') pages), \`gkaudit audit\` (${GKAUDIT:-$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench' || echo +changes)}) into one database (the sim's loopback policy, budgets lifted), $(nproc) CPUs, $(date -u +%Y-%m-%d)."
	echo
	echo "| run | id | wall s | gkaudit CPU s | pages | bytes fetched | 304 | db bytes | findings vs. run before |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
	for r in "${ROWS[@]}"; do
		IFS='|' read -r label run wall cpu pages bytes nm size diff <<<"$r"
		echo "| $label | $run | $wall | $cpu | $pages | $bytes | $nm | $size | ${diff:--} |"
	done
	echo
	IFS='|' read -r _ _ w1 c1 _ b1 _ s1 _ <<<"${ROWS[0]}"
	IFS='|' read -r _ _ w2 c2 _ b2 _ s2 _ <<<"${ROWS[1]}"
	IFS='|' read -r _ _ w3 c3 _ _ _ _ _ <<<"${ROWS[2]}"
	awk -v w1="$w1" -v w2="$w2" -v w3="$w3" -v c1="$c1" -v c2="$c2" -v c3="$c3" -v b1="$b1" -v b2="$b2" -v s1="$s1" -v s2="$s2" 'BEGIN{
		printf "- unchanged re-run: %.2f%% of the first run'"'"'s bytes (goal < 10%%), database +%.2f%% (goal < 5%%), wall %.0f%% of the first run'"'"'s (goal <= 30%%), gkaudit CPU %.0f%%\n",
			100*b2/b1, 100*(s2-s1)/s1, 100*w2/w1, 100*c2/c1
		printf "- at the next day'"'"'s as-of (dated checks run again): wall %.0f%%, gkaudit CPU %.0f%%\n", 100*w3/w1, 100*c3/c1 }'
} | tee "$MD"
