package checks

import "gkaudit/site"

// LinkBrokenRule is the source of the check. PLACEHOLDER: being written.
const LinkBrokenRule = ""

var linkBrokenTerms = map[string][]string{}

// LinkBroken is a placeholder being written; it reports nothing yet.
func LinkBroken(s *site.Snapshot, env Env) []Finding { return nil }
