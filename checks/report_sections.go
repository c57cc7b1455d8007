package checks

import "gkaudit/site"

// ReportSectionsRule is the source of the check. PLACEHOLDER: being written.
const ReportSectionsRule = ""

var reportSectionsTerms = map[string][]string{}

// ReportSections is a placeholder being written; it reports nothing yet.
func ReportSections(s *site.Snapshot, env Env) []Finding { return nil }
