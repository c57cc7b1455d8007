package checks

import "gkaudit/site"

// GuidePresentRule is the source of the check. PLACEHOLDER: being written.
const GuidePresentRule = ""

var guidePresentTerms = map[string][]string{}

// GuidePresent is a placeholder being written; it reports nothing yet.
func GuidePresent(s *site.Snapshot, env Env) []Finding { return nil }
