package checks

import "gkaudit/site"

// CatalogPresentRule is the source of the check. PLACEHOLDER: being written.
const CatalogPresentRule = ""

var catalogPresentTerms = map[string][]string{}

// CatalogPresent is a placeholder being written; it reports nothing yet.
func CatalogPresent(s *site.Snapshot, env Env) []Finding { return nil }
