package checks

import "gkaudit/site"

// NewmediaLinksRule is the source of the check. PLACEHOLDER: being written.
const NewmediaLinksRule = ""

var newmediaLinksTerms = map[string][]string{}

// NewmediaLinks is a placeholder being written; it reports nothing yet.
func NewmediaLinks(s *site.Snapshot, env Env) []Finding { return nil }
