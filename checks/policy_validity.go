package checks

import "gkaudit/site"

// PolicyValidityRule is the source of the check. PLACEHOLDER: being written.
const PolicyValidityRule = ""

var policyValidityTerms = map[string][]string{}

// PolicyValidity is a placeholder being written; it reports nothing yet.
func PolicyValidity(s *site.Snapshot, env Env) []Finding { return nil }
