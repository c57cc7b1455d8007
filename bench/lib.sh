# bench/lib.sh: what the benchmark scripts share; sourced, not run.

# wait_for_sim LOG PID WHO waits until the sim whose output goes to LOG
# serves (its banner "服务中，按 Ctrl-C 停止"), for at most a minute. When the sim
# has died, or did not start in time, it says so as WHO and exits.
wait_for_sim() {
	local log=$1 pid=$2 who=$3
	for _ in $(seq 300); do
		if grep -q '服务中，按 Ctrl-C 停止' "$log" 2>/dev/null; then
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			cat "$log" >&2
			exit 1
		fi
		sleep 0.2
	done
	echo "$who: the sim did not start" >&2
	exit 1
}

# lift_budgets FILE lifts the page, depth and time budgets of a sim's config
# so that every page of the district is crawled: the big sizes page deeper
# than the default max_depth and take longer than the default unit budget.
lift_budgets() {
	sed -i -e 's/^  max_pages_per_unit: .*/  max_pages_per_unit: 1000000/' \
		-e 's/^  max_depth: .*/  max_depth: 100000/' \
		-e 's/^  unit_budget: .*/  unit_budget: 120m/' "$1"
}
