#!/usr/bin/env bash
# Benchmark (not a test): crawl the bench-size simulated district, served on
# loopback without its crawler traps, with gkaudit and the tools it is
# measured against, all at the same parallelism P, and print one table:
# pages, wall s, pages/s, CPU s per 1,000 pages, peak RSS.
#
#   bash bench/run.sh            # from the repo root; output under bench/out/
#
# Environment:
#   P=8              concurrent requests, every tool
#   GK_UNITS=4       gkaudit's crawl.parallel_units (parallel_per_host = P: the run's
#                    budget per host, so the portal host, most of the pages, gets P in
#                    flight like the other tools)
#   ROUNDS=3         runs of gkaudit and barecolly (the 0.8x goal compares them);
#                    each round runs both, alternating, and the best (shortest) run counts
#   SLOW_ROUNDS=1    runs of linkinator and wget
#   LINKINATOR_STOCK=1  also run linkinator without the concurrency shim (see fetch-limit.cjs)
#   SEED=1           the district's seed
#   BEFORE=REV       also run gkaudit as built from git revision REV (another commit of this
#                    repository), each round beside the current one: "gkaudit-before" in the
#                    table, for before/after figures in the same sitting
#                    (e.g. BEFORE=60211ca SLOW_ROUNDS=0 LINKINATOR_STOCK=0 bash bench/run.sh)
#
# Tools:
#   gkaudit audit   crawl + checks + bbolt store, the 46 reachable units, budgets lifted
#   barecolly       bench/barecolly: a bare colly collector that only follows links (the
#                   ceiling of the library gkaudit builds on), started at the same unit entries
#   linkinator      7.6.1, the newest release that runs on Node 20 (8.x needs Node >= 22),
#                   started at each host root (it recurses only into URLs that start with
#                   its root string, so a unit entry such as /col/col1229412/index.html would
#                   not reach the portal's /art/ articles)
#   wget            --spider -r -l inf, one process per host, P at a time
#
# What "pages" means: HTML pages fetched with a 2xx status. Every tool is set up
# to crawl the pages the district serves on the hosts of the reachable units (sim
# Pages()); gkaudit also reads the list records Hanweb units serve only through
# dataproxy.jsp POSTs (and the articles behind them), which the other tools cannot
# reach, so it fetches more. See the notes printed with the table.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out
BIN=$OUT/bin
P=${P:-8}
GK_UNITS=${GK_UNITS:-4}
ROUNDS=${ROUNDS:-3}
SLOW_ROUNDS=${SLOW_ROUNDS:-1}
LINKINATOR_STOCK=${LINKINATOR_STOCK:-1}
SEED=${SEED:-1}
BEFORE=${BEFORE:-}
LINKINATOR_VERSION=7.6.1

# The politeness budget is per host for the whole run (not per unit): P per host
# gives the portal host P requests in flight, as the other tools get in all.
GK_PER_HOST=$P

# Loopback only: no proxy may get in the way.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY NODE_OPTIONS || true

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

# ---------------------------------------------------------------- 1. install
install_deps() {
	local pkgs=()
	command -v wget >/dev/null || pkgs+=(wget)
	if ! [ -x /usr/bin/time ] || ! /usr/bin/time -V 2>&1 | grep -q GNU; then pkgs+=(time); fi
	if ((${#pkgs[@]})); then
		log "apt-get install ${pkgs[*]}"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
	fi
	command -v node >/dev/null && command -v npm >/dev/null || {
		echo "bench: node and npm are needed (Node 20)" >&2
		exit 1
	}
	local have=""
	[ -f bench/node_modules/linkinator/package.json ] &&
		have=$(node -p 'require("./bench/node_modules/linkinator/package.json").version')
	if [ "$have" != "$LINKINATOR_VERSION" ]; then
		# bench/package.json pins linkinator 7.6.1, bench/package-lock.json its deps.
		log "npm: linkinator@$LINKINATOR_VERSION into bench/node_modules"
		npm ci --prefix bench --no-audit --no-fund --loglevel=error >/dev/null ||
			npm install --prefix bench --no-audit --no-fund --loglevel=error "linkinator@$LINKINATOR_VERSION" >/dev/null
	fi
	mkdir -p "$BIN"
	log "go build gkaudit, barecolly"
	go build -o "$BIN/gkaudit" ./cmd/gkaudit
	go build -o "$BIN/barecolly" ./bench/barecolly
	if [ -n "$BEFORE" ]; then
		log "go build gkaudit at $BEFORE"
		local src=$OUT/before-src
		rm -rf "$src"
		git worktree prune
		git worktree add --detach "$src" "$BEFORE" >/dev/null
		(cd "$src" && go build -o "$BIN/gkaudit-before" ./cmd/gkaudit)
		git worktree remove --force "$src"
	fi
}

# ------------------------------------------------------------------ 2. sim
SIM_PID=""
cleanup() {
	if [ -n "$SIM_PID" ] && kill -0 "$SIM_PID" 2>/dev/null; then
		kill "$SIM_PID" 2>/dev/null || true
		wait "$SIM_PID" 2>/dev/null || true
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_sim() {
	rm -f "$OUT/sim.log" "$OUT/truth.json" "$OUT/sim.yaml"
	# Port 0: the portal and every own host get free ports (other programs may
	# hold fixed ones on this machine).
	"$BIN/gkaudit" sim --listen 127.0.0.1:0 --size bench --seed "$SEED" --traps=false \
		--truth "$OUT/truth.json" --config "$OUT/sim.yaml" >"$OUT/sim.log" 2>&1 &
	SIM_PID=$!
	for _ in $(seq 300); do
		grep -q '服务中，按 Ctrl-C 停止' "$OUT/sim.log" 2>/dev/null && break
		kill -0 "$SIM_PID" 2>/dev/null || {
			cat "$OUT/sim.log" >&2
			exit 1
		}
		sleep 0.2
	done
	grep -q '服务中，按 Ctrl-C 停止' "$OUT/sim.log" || {
		echo "bench: the sim did not start" >&2
		exit 1
	}
	SIM_PAGES=$(sed -n 's/.* units, \([0-9]*\) pages.*/\1/p' "$OUT/sim.log")

	# Units the truth says cannot be reached (closed port, hanging host).
	mapfile -t DEAD < <(node -e '
		const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		for (const x of t) if (x.check === "site.reachable" && x.status === "fail") console.log(x.unit);
	' "$OUT/truth.json")
	# id<TAB>url of every unit in the written config.
	awk '/^  - id: /{id=$3} /^    url: /{print id "\t" $2}' "$OUT/sim.yaml" >"$OUT/units.all"
	: >"$OUT/units.live"
	: >"$OUT/units.dead"
	while IFS=$'\t' read -r id url; do
		if printf '%s\n' "${DEAD[@]}" | grep -qx "$id"; then
			printf '%s\t%s\n' "$id" "$url" >>"$OUT/units.dead"
		else
			printf '%s\t%s\n' "$id" "$url" >>"$OUT/units.live"
		fi
	done <"$OUT/units.all"
	UNIT_IDS=$(cut -f1 "$OUT/units.live" | paste -sd, -)
	mapfile -t ENTRIES < <(cut -f2 "$OUT/units.live")
	mapfile -t HOSTS < <(cut -f2 "$OUT/units.live" | sed -E 's#^(https?://[^/]+)/.*#\1/#' | sort -u)
	mapfile -t DEAD_HOSTS < <(cut -f2 "$OUT/units.dead" | sed -E 's#^https?://([^/]+)/.*#\1#' | sort -u)
	for h in "${HOSTS[@]}"; do
		wget -q -T 5 -t 3 -O /dev/null "$h" || {
			echo "bench: $h does not answer" >&2
			exit 1
		}
	done
	log "sim: $SIM_PAGES pages, ${#ENTRIES[@]} reachable units on ${#HOSTS[@]} hosts; left out: ${DEAD[*]}"

	# gkaudit's config: the sim's loopback policy with GK_UNITS units at once and
	# GK_PER_HOST requests in flight per host, delay 0, robots as default (obeyed), and the page, depth and
	# time budgets lifted so that, like the other tools, it crawls everything.
	sed -e "s/^  parallel_units: .*/  parallel_units: $GK_UNITS/" \
		-e "s/^  parallel_per_host: .*/  parallel_per_host: $GK_PER_HOST/" \
		-e 's/^  delay: .*/  delay: 0s/' \
		-e 's/^  max_pages_per_unit: .*/  max_pages_per_unit: 1000000/' \
		-e 's/^  max_depth: .*/  max_depth: 10000/' \
		-e 's/^  unit_budget: .*/  unit_budget: 30m/' \
		"$OUT/sim.yaml" >"$OUT/bench.yaml"
	if [ -n "$BEFORE" ]; then
		# The older build knows only the settings of its day: keep from the
		# thresholds section the keys its own default config has.
		before_config >"$OUT/bench-before.yaml"
	fi
}

# before_config: bench.yaml without the thresholds keys that the BEFORE
# build's embedded default does not have (settings added since).
before_config() {
	local keys
	keys=$("$BIN/gkaudit-before" config show 2>/dev/null | awk '/^thresholds:/{f=1; next} f && /^[^ ]/{f=0} f && /^  [a-z_]+:/{sub(/:.*/, ""); sub(/^  /, ""); print}' | paste -sd'|' -)
	awk -v keep="^  (${keys:-stale_days}):" '
		/^thresholds:/ {t = 1; print; next}
		t && /^[^ ]/ {t = 0}
		t && /^  [a-z_]+:/ {skip = ($0 !~ keep)}
		!(t && skip) {print}
	' "$OUT/bench.yaml"
}

# --------------------------------------------------------------- 3./4. tools
# Each run leaves in $OUT/runs/NAME: wall (seconds), pages, and the GNU time
# report(s) time*.txt.
RUNS=$OUT/runs

gtime() { # gtime FILE cmd...: GNU time -v into FILE
	local f=$1
	shift
	/usr/bin/time -v -o "$f" "$@"
}

now() { date +%s.%N; }

# distinct_html_ok FILE: count the distinct URLs listed (one a line).
distinct() { sort -u "$1" | grep -c . || true; }

run_gkaudit() { # run_gkaudit DIR [BINARY [CONFIG]]
	local d=$1 bin=${2:-$BIN/gkaudit} cfg=${3:-$OUT/bench.yaml}
	rm -f "$d/gk.db"
	local t0 t1
	t0=$(now)
	gtime "$d/time.txt" "$bin" audit --config "$cfg" --db "$d/gk.db" \
		--units "$UNIT_IDS" --as-of 2020-03-01 >"$d/stdout.txt" 2>"$d/stderr.txt"
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f\n", b-a}' >"$d/wall"
	# The table: 单位 名称 页面 错误 不合格的检查 (long lists of checks wrap onto
	# lines of their own). A unit's 页面 are the pages it
	# fetched, 错误 those that failed (404, 500); pages = sum(页面 - 错误).
	# Per-unit crawls: a page two units reach (the portal home) counts twice.
	awk '/^单位 +名称 +页面/{f=1; next} f && NF >= 4 && $3 ~ /^[0-9]+$/ {p += $3 - $4; n++} END{print p+0; if (n != '"${#ENTRIES[@]}"') print "bench: gkaudit table has " n " units" > "/dev/stderr"}' \
		"$d/stdout.txt" >"$d/pages"
	rm -f "$d/gk.db"
}

run_barecolly() {
	local d=$1 t0 t1
	t0=$(now)
	gtime "$d/time.txt" "$BIN/barecolly" -parallel "$P" -list "$d/urls" "${ENTRIES[@]}" >"$d/stdout.txt" 2>"$d/stderr.txt"
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f\n", b-a}' >"$d/wall"
	# HTML responses with a 2xx status, distinct URLs (colly's async visited
	# check may fetch a page twice; stdout's pages= counts every fetch).
	distinct "$d/urls" >"$d/pages"
}

# linkinator: all host roots in one process. It does not read robots.txt, so
# each host's Disallow lines become --skip patterns (the other tools obey
# robots.txt); the unreachable/hanging units' hosts are skipped too, in case a
# page links to them (linkinator would wait on the hanging one: no timeout).
linkinator_skips() {
	LK_SKIP=()
	local h p
	for h in "${HOSTS[@]}"; do
		while read -r p; do
			[ -n "$p" ] && LK_SKIP+=(--skip "^$(printf '%s' "${h%/}$p" | sed 's/[.]/\\./g')")
		done < <(wget -q -O - "${h}robots.txt" | sed -n 's/^Disallow: *//p')
	done
	for h in "${DEAD_HOSTS[@]}"; do
		LK_SKIP+=(--skip "^http://$(printf '%s' "$h" | sed 's/[.]/\\./g')/")
	done
}

run_linkinator() { # run_linkinator DIR shim|stock
	local d=$1 mode=$2 t0 t1 rc=0
	local env=()
	if [ "$mode" = shim ]; then
		env=(BENCH_FETCH_LIMIT="$P" NODE_OPTIONS="--require $ROOT/bench/fetch-limit.cjs")
	fi
	t0=$(now)
	# No --timeout: with it, requests that wait (in the shim's queue, or in
	# Node's event loop when thousands are in flight) time out and are
	# reported broken. Exit status 1 means "broken links found" (the
	# district has some on purpose).
	env "${env[@]}" /usr/bin/time -v -o "$d/time.txt" node bench/node_modules/linkinator/build/src/cli.js \
		"${HOSTS[@]}" --recurse --concurrency "$P" --format csv "${LK_SKIP[@]}" \
		>"$d/links.csv" 2>"$d/stderr.txt" || rc=$?
	t1=$(now)
	if ((rc > 1)); then
		echo "bench: linkinator exited $rc" >&2
		tail -5 "$d/stderr.txt" >&2
	fi
	awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f\n", b-a}' >"$d/wall"
	# One CSV row per distinct URL checked (url,status,state,parent,...). Its
	# pages: rows with state OK on the crawled hosts that are not attachments
	# (those it GETs or HEADs but does not parse); links to the external host
	# are only checked.
	local hostre
	hostre=$(printf '%s\n' "${HOSTS[@]}" | sed 's/[.]/\\./g' | paste -sd'|' -)
	awk -F, 'NR > 1 && $3 == "OK" {print $1}' "$d/links.csv" |
		grep -E "^($hostre)" |
		grep -viE '\.(pdf|docx?|xlsx?|wps|et|dps|ofd|pptx?|txt|csv|rtf|zip|rar|7z|gz|tar|jpe?g|png|gif|bmp|tiff?|mp3|mp4|avi|flv|wmv|swf|exe|apk|xml|js|css|ceb|caj)$' \
			>"$d/urls" || true
	distinct "$d/urls" >"$d/pages"
	awk -F, 'NR > 1 && $2 == "0" {n++} END{print n+0}' "$d/links.csv" >"$d/status0"
}

# wget: one process per host (wget has no parallelism of its own), P at a time.
# The portal host is one process started at the portal's home page, which links
# every portal unit's entry: started at each unit's entry instead, -np would
# keep it out of the shared /art/ article tree, and without -np every process
# would crawl the whole portal. So wget's wall time is that of the portal
# process, which crawls three quarters of the district over one connection:
# that is what a user of wget gets.
# --accept-regex keeps each process on its host:port: wget's "same host"
# ignores the port, and every sim host is 127.0.0.1, the external one too.
# Each process has its own directory (-P): with --delete-after in a shared one,
# processes truncate each other's temporary files and wget dies of SIGBUS
# (it mmaps the file it parses).
run_wget() {
	local d=$1 t0 t1
	mkdir -p "$d/w"
	printf '%s\n' "${HOSTS[@]}" >"$d/hosts"
	t0=$(now)
	# shellcheck disable=SC2016
	xargs -P "$P" -I{} bash -c '
		url=$1 d=$2
		hp=${url#http://}; hp=${hp%/}; tag=${hp//[:.]/_}
		re="^http://${hp//./\\.}/"
		/usr/bin/time -v -o "$d/time.$tag.txt" \
			wget --spider -r -l inf -nd -np --delete-after -P "$d/w/$tag" \
				--accept-regex "$re" -o "$d/log.$tag" "$url"
		rc=$?
		# 8: the server answered an error (the district has 404s and 500s on purpose).
		if [ $rc -ne 0 ] && [ $rc -ne 8 ]; then echo "bench: wget $url exited $rc" >&2; fi
		exit 0
	' _ {} "$d" <"$d/hosts"
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f\n", b-a}' >"$d/wall"
	# In spider mode wget HEADs every link and GETs ("Saving to") only what is
	# HTML with a 2xx status, to parse it; robots.txt is fetched the same way.
	awk '/^--[0-9]/ {u = $3} /^Saving to:/ {print u}' "$d"/log.* | grep -v '/robots\.txt$' >"$d/urls" || true
	distinct "$d/urls" >"$d/pages"
	rm -rf "$d/w"
}

# time_stats DIR: "cpu_seconds max_rss_kb sum_rss_kb" over the time*.txt files.
time_stats() {
	awk -F': ' '
		/User time \(seconds\)/ {cpu += $2}
		/System time \(seconds\)/ {cpu += $2}
		/Maximum resident set size/ {if ($2 > max) max = $2; sum += $2}
		END {printf "%.2f %d %d\n", cpu, max, sum}
	' "$1"/time*.txt
}

run_tool() { # run_tool NAME ROUND FUNC [ARGS]
	local name=$1 round=$2 fn=$3
	shift 3
	local d=$RUNS/$name.$round
	rm -rf "$d"
	mkdir -p "$d"
	cut -d' ' -f1 /proc/loadavg >"$d/load"
	log "$name round $round (load $(cat "$d/load"))"
	local s0 s1
	s0=$(sim_ticks)
	"$fn" "$d" "$@"
	s1=$(sim_ticks)
	awk -v a="$s0" -v b="$s1" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f\n", (b-a)/hz}' >"$d/simcpu"
	read -r cpu rss rsssum < <(time_stats "$d")
	echo "$cpu $rss $rsssum" >"$d/stats"
	log "  $name: $(cat "$d/pages") pages, $(cat "$d/wall") s, cpu $cpu s, rss $((rss / 1024)) MB"
}

# sim_ticks: user+sys CPU of the sim server so far, in clock ticks. The server
# shares the machine's cores with the tool under test.
sim_ticks() {
	awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$SIM_PID/stat"
}

# best NAME: the round with the shortest wall time.
best() {
	local name=$1 b="" bw=""
	for d in "$RUNS/$name".*; do
		local w
		w=$(cat "$d/wall")
		if [ -z "$bw" ] || awk -v a="$w" -v b="$bw" 'BEGIN{exit !(a < b)}'; then
			b=$d
			bw=$w
		fi
	done
	echo "$b"
}

# ------------------------------------------------------------------ main
main() {
	local t_start
	t_start=$(now)
	mkdir -p "$OUT"
	install_deps
	start_sim
	linkinator_skips
	rm -rf "$RUNS"
	mkdir -p "$RUNS"

	for r in $(seq "$ROUNDS"); do
		# Alternate which goes first, so neither always meets a cold or a warm sim.
		if ((r % 2)); then
			run_tool gkaudit "$r" run_gkaudit
			run_tool barecolly "$r" run_barecolly
		else
			run_tool barecolly "$r" run_barecolly
			run_tool gkaudit "$r" run_gkaudit
		fi
		if [ -n "$BEFORE" ]; then
			run_tool gkaudit-before "$r" run_gkaudit "$BIN/gkaudit-before" "$OUT/bench-before.yaml"
		fi
	done
	for r in $(seq "$SLOW_ROUNDS"); do
		run_tool linkinator "$r" run_linkinator shim
		run_tool wget "$r" run_wget
	done
	if [ "$LINKINATOR_STOCK" = 1 ]; then
		run_tool linkinator-stock 1 run_linkinator stock
	fi

	report "$t_start"
}

report() {
	local t_start=$1 tools=(gkaudit barecolly)
	[ -n "$BEFORE" ] && tools+=(gkaudit-before)
	[ "$SLOW_ROUNDS" -gt 0 ] && tools+=(linkinator wget)
	[ "$LINKINATOR_STOCK" = 1 ] && tools+=(linkinator-stock)
	local md=$OUT/results.md rows=$OUT/rows.tsv
	: >"$rows"
	for t in "${tools[@]}"; do
		local d
		d=$(best "$t")
		read -r cpu rss rsssum <"$d/stats"
		local rounds
		rounds=$(for x in "$RUNS/$t".*; do printf '%s/%s ' "$(cat "$x/pages")" "$(cat "$x/wall")"; done)
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$(cat "$d/pages")" "$(cat "$d/wall")" "$cpu" "$rss" "$rsssum" "$(cat "$d/load")" "$rounds" "$(cat "$d/simcpu")" >>"$rows"
	done
	local total
	total=$(awk -v a="$t_start" -v b="$(now)" 'BEGIN{printf "%.0f", b-a}')
	{
		echo "# gkaudit crawl benchmark"
		echo
		echo "$(date -u +%FT%TZ), $(nproc) cores, P=$P concurrent requests per tool, seed $SEED;"
		echo "bench-size sim without traps: $SIM_PAGES HTML pages, ${#ENTRIES[@]} reachable units on ${#HOSTS[@]} hosts (left out: ${DEAD[*]})."
		echo "$(go version | cut -d' ' -f3), node $(node --version), linkinator $(node -p 'require("./bench/node_modules/linkinator/package.json").version'), $(wget --version | head -1 | cut -d' ' -f1-3)."
		echo "gkaudit: parallel_units $GK_UNITS x parallel_per_host $GK_PER_HOST, delay 0, robots obeyed, budgets lifted."
		echo "Best of $ROUNDS rounds for gkaudit and barecolly, of $SLOW_ROUNDS for linkinator and wget (shortest wall)."
		echo
		echo "| tool | pages | wall s | pages/s | CPU s / 1,000 pages | peak RSS MB | sim server CPU s | load at start | rounds (pages/wall s) |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
		awk -F'\t' '{
			pps = $2 / $3
			rss = $5 / 1024
			if ($1 == "wget") rss = sprintf("%.0f (one process; %.0f summed)", $5/1024, $6/1024)
			else rss = sprintf("%.0f", rss)
			printf "| %s | %d | %.1f | %.0f | %.2f | %s | %.1f | %s | %s |\n", $1, $2, $3, pps, $4 * 1000 / $2, rss, $9, $7, $8
		}' "$rows"
		echo
		awk -F'\t' '{pps[$1] = $2 / $3; rss[$1] = $5 / 1024; cpk[$1] = $4 * 1000 / $2}
		END {
			r = pps["gkaudit"] / pps["barecolly"]
			printf "- gkaudit / barecolly pages/s: **%.2fx** (goal >= 0.8x: %s)\n", r, (r >= 0.8 ? "met" : "NOT met")
			if (pps["gkaudit-before"] > 0) printf "- gkaudit / gkaudit-before pages/s: %.2fx; CPU s per 1,000 pages %.2f against %.2f before (bare colly %.2f)\n", pps["gkaudit"] / pps["gkaudit-before"], cpk["gkaudit"], cpk["gkaudit-before"], cpk["barecolly"]
			if (pps["linkinator"] > 0) printf "- gkaudit / linkinator pages/s: %.2fx (goal > 1: %s)\n", pps["gkaudit"] / pps["linkinator"], (pps["gkaudit"] > pps["linkinator"] ? "met" : "NOT met")
			if (pps["wget"] > 0) printf "- gkaudit / wget pages/s: %.2fx (goal > 1: %s)\n", pps["gkaudit"] / pps["wget"], (pps["gkaudit"] > pps["wget"] ? "met" : "NOT met")
			printf "- gkaudit peak RSS: %.0f MB (goal < 300 MB: %s)\n", rss["gkaudit"], (rss["gkaudit"] < 300 ? "met" : "NOT met")
		}' "$rows"
		echo
		echo "Notes:"
		echo "- pages: distinct HTML pages fetched with a 2xx status; for gkaudit the sum over units of pages minus errors (a page two units reach counts twice). CPU is user+sys of the tool's processes (not the sim's), from GNU time; RSS its maximum resident set."
		echo "- barecolly and gkaudit start at the units' entries; linkinator and wget at each host's root. linkinator: 'linkinator' runs with bench/fetch-limit.cjs, which makes --concurrency bound the requests in flight; 'linkinator-stock' without it: 7.6.1 does not enforce --concurrency (upstream #847), in the last stock run $(cat "$RUNS"/linkinator-stock.*/status0 2>/dev/null | tail -1 || true) URLs failed with status 0 (fetch failed) and were reported broken, pages under them not crawled."
		echo "- wget: one process per host, P at a time; the portal host (most of the pages) is one process and sets the wall time. CPU summed over the processes; RSS of the largest process (and the sum of all peaks)."
		echo "- sim server CPU: user+sys the sim spent serving that run (same machine, same cores)."
		echo "- The machine may be shared: 'load at start' is the 1-minute load average when the run began."
		echo "- Total benchmark time: ${total} s."
	} >"$md"
	echo
	cat "$md"
}

main "$@"
