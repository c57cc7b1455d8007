package checks

import "gkaudit/site"

// GuideElementsRule is the source of the check. PLACEHOLDER: being written.
const GuideElementsRule = ""

var guideElementsTerms = map[string][]string{}

// GuideElements is a placeholder being written; it reports nothing yet.
func GuideElements(s *site.Snapshot, env Env) []Finding { return nil }
