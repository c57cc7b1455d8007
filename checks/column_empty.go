package checks

import "gkaudit/site"

// ColumnEmptyRule is the source of the check. PLACEHOLDER: being written.
const ColumnEmptyRule = ""

var columnEmptyTerms = map[string][]string{}

// ColumnEmpty is a placeholder being written; it reports nothing yet.
func ColumnEmpty(s *site.Snapshot, env Env) []Finding { return nil }
