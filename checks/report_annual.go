package checks

import "gkaudit/site"

// ReportAnnualRule is the source of the check. PLACEHOLDER: being written.
const ReportAnnualRule = ""

var reportAnnualTerms = map[string][]string{}

// ReportAnnual is a placeholder being written; it reports nothing yet.
func ReportAnnual(s *site.Snapshot, env Env) []Finding { return nil }
