package checks

import "gkaudit/site"

// InterpretationSyncRule is the source of the check. PLACEHOLDER: being written.
const InterpretationSyncRule = ""

var interpretationSyncTerms = map[string][]string{}

// InterpretationSync is a placeholder being written; it reports nothing yet.
func InterpretationSync(s *site.Snapshot, env Env) []Finding { return nil }
