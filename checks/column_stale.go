package checks

import "gkaudit/site"

// ColumnStaleRule is the source of the check. PLACEHOLDER: being written.
const ColumnStaleRule = ""

var columnStaleTerms = map[string][]string{}

// ColumnStale is a placeholder being written; it reports nothing yet.
func ColumnStale(s *site.Snapshot, env Env) []Finding { return nil }
