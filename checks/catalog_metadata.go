package checks

import "gkaudit/site"

// CatalogMetadataRule is the source of the check. PLACEHOLDER: being written.
const CatalogMetadataRule = ""

var catalogMetadataTerms = map[string][]string{}

// CatalogMetadata is a placeholder being written; it reports nothing yet.
func CatalogMetadata(s *site.Snapshot, env Env) []Finding { return nil }
