package checks

import "gkaudit/site"

// InterpretationLinkedRule is the source of the check. PLACEHOLDER: being written.
const InterpretationLinkedRule = ""

var interpretationLinkedTerms = map[string][]string{}

// InterpretationLinked is a placeholder being written; it reports nothing yet.
func InterpretationLinked(s *site.Snapshot, env Env) []Finding { return nil }
