#!/usr/bin/env bash
# bench/rss.sh: peak memory of `gkaudit audit` at district scale (benchmark, not a test).
#
# For each sim size (bench: ~20,000 pages, huge: ~100,000; both without traps, budgets
# lifted as in bench/incremental.sh) it serves the district on loopback and runs
#
#   run 1   `gkaudit audit` into a fresh database: every page fetched in full
#   run 2   the next night, nothing changed, into the same database (304s, carried pages)
#
# under GNU time, and reports wall time, CPU time, pages, 304 answers and carried pages (the audit's closing line
# "运行 N 抓取 P 个页面，…其中 K 个未变（304），C 个沿用上次抓取"), peak RSS of the gkaudit process
# ("Maximum resident set size"; beside it the highest anonymous and file-backed parts seen
# in /proc/PID/status every half second: the file part is the bbolt file's mapped pages)
# and the re-run's wall and CPU time as shares of the first run's. Wall times on a shared machine
# vary with its load; CPU time and RSS much less.
# The table goes to stdout and bench/out/rss.md.
#
#   bash bench/rss.sh                  # from the repo root
#
# Environment:
#   SIZES="bench huge"   sim sizes to measure
#   GKAUDIT=path         the gkaudit binary that audits (default: built from this tree; the
#                        sim is always served by the tree's binary, which knows every size),
#                        e.g. a binary of an older commit for a before/after comparison
#   LABEL=text           names the binary in the table's heading (default: git describe)
#   PORT=18800           the sim takes PORT .. PORT+20
#   SEED=1
#   GOMEMLIMIT, GOGC    passed on to gkaudit like any environment (e.g. GOMEMLIMIT=200MiB)
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/lib.sh
PORT=${PORT:-18800}
SEED=${SEED:-1}
SIZES=${SIZES:-bench huge}
OUT=bench/out/rss
mkdir -p "$OUT"

unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY || true

if ! [ -x /usr/bin/time ] || ! /usr/bin/time -V 2>&1 | grep -q GNU; then
	echo "rss: installing GNU time" >&2
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
fi

go build -o "$OUT/gkaudit" ./cmd/gkaudit
SIMBIN=$OUT/gkaudit
GK=${GKAUDIT:-$OUT/gkaudit}
LABEL=${LABEL:-$(git describe --always --dirty 2>/dev/null || echo unknown)}

SIM_PID=
stop_sim() {
	if [[ -n $SIM_PID ]]; then
		kill "$SIM_PID" 2>/dev/null || true
		wait "$SIM_PID" 2>/dev/null || true
		SIM_PID=
	fi
}
trap stop_sim EXIT

start_sim() { # size
	rm -f "$OUT/$1.yaml"
	: >"$OUT/sim-$1.txt" # an old banner must not pass for this sim's
	"$SIMBIN" sim --listen "127.0.0.1:$PORT" --size "$1" --seed "$SEED" --traps=false \
		--config "$OUT/$1.yaml" >"$OUT/sim-$1.txt" 2>&1 &
	SIM_PID=$!
	wait_for_sim "$OUT/sim-$1.txt" "$SIM_PID" rss
	lift_budgets "$OUT/$1.yaml"
}

ROWS=()
audit_run() { # size label n
	local out="$OUT/$1-run$3.txt" tv="$OUT/$1-run$3.time" start end line
	start=$(date +%s.%N)
	/usr/bin/time -v -o "$tv" "$GK" audit --config "$OUT/$1.yaml" --db "$OUT/$1.db" --as-of 2020-03-01 >"$out" 2>"$out.err" &
	# The resident set split, sampled: anonymous memory (the Go heap, stacks)
	# and file pages (bbolt maps the database file; the pages a run reads
	# or writes count in its RSS until the kernel drops them).
	local tpid=$! gpid="" anon=0 file=0 a f
	while kill -0 "$tpid" 2>/dev/null; do
		[[ -n $gpid ]] || gpid=$(pgrep -P "$tpid" | head -1 || true)
		if [[ -n $gpid ]] && read -r a f < <(awk '/^RssAnon/{a=$2} /^RssFile/{f=$2} END{print a+0, f+0}' "/proc/$gpid/status" 2>/dev/null); then
			((a > anon)) && anon=$a
			((f > file)) && file=$f
		fi
		sleep 0.5
	done
	wait "$tpid"
	end=$(date +%s.%N)
	# 运行 000002 抓取 22015 个页面，共 1.6 KB，其中 21990 个未变（304），0 个沿用上次抓取
	line=$(grep -E '^运行 [0-9]+ 抓取 ' "$out")
	pages=$(grep -oP '抓取 \K[0-9]+' <<<"$line")
	nm=$(grep -oP '其中 \K[0-9]+' <<<"$line")
	carried=$(grep -oP '，\K[0-9]+(?= 个沿用)' <<<"$line")
	local rss cpu
	rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$tv")
	cpu=$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{printf "%.1f", u+s}' "$tv")
	ROWS+=("$1|$2|$(awk -v s="$start" -v e="$end" 'BEGIN{printf "%.1f", e-s}')|$cpu|$pages|$nm|$carried|$rss|$anon|$file|$(stat -c %s "$OUT/$1.db")")
}

for size in $SIZES; do
	rm -f "$OUT/$size.db"
	start_sim "$size"
	audit_run "$size" "first run" 1
	audit_run "$size" "re-run, unchanged" 2
	stop_sim
done

{
	echo "# gkaudit audit: peak RSS at district scale"
	echo
	echo "sim without traps (seed $SEED), \`gkaudit audit\` ($LABEL) into a fresh database, then again into the same one, budgets lifted, $(nproc) CPUs, $(date -u +%Y-%m-%d)."
	echo
	echo "| size | sim pages | run | wall s | CPU s | pages | 304 | carried | peak RSS MB | anon / file MB | re-run / first: wall, CPU | db MB |"
	echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	first= firstcpu=
	for r in "${ROWS[@]}"; do
		IFS='|' read -r size label wall cpu pages nm carried rss anon file db <<<"$r"
		simpages=$(head -1 "$OUT/sim-$size.txt" | grep -o '[0-9]* 个页面' | grep -o '[0-9]*' || echo "?")
		ratio=-
		if [[ $label == "first run" ]]; then
			first=$wall firstcpu=$cpu
		else
			ratio=$(awk -v a="$wall" -v b="$first" -v c="$cpu" -v d="$firstcpu" 'BEGIN{printf "%.2f, %.2f", a/b, c/d}')
		fi
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %.0f | %.0f / %.0f | %s | %.1f |\n' "$size" "$simpages" "$label" "$wall" "$cpu" "$pages" "$nm" "$carried" \
			"$(awk -v k="$rss" 'BEGIN{print k/1024}')" "$(awk -v k="$anon" 'BEGIN{print k/1024}')" "$(awk -v k="$file" 'BEGIN{print k/1024}')" "$ratio" "$(awk -v b="$db" 'BEGIN{print b/1048576}')"
	done
} | tee bench/out/rss.md
