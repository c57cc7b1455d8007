package checks

import "gkaudit/site"

// KeyAreaRule is the source of the check. PLACEHOLDER: being written.
const KeyAreaRule = ""

var keyAreaTerms = map[string][]string{}

// KeyArea is a placeholder being written; it reports nothing yet.
func KeyArea(s *site.Snapshot, env Env) []Finding { return nil }
