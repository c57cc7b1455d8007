package checks

import "gkaudit/site"

// CarrierColumnRule is the source of the check. PLACEHOLDER: being written.
const CarrierColumnRule = ""

var carrierColumnTerms = map[string][]string{}

// CarrierColumn is a placeholder being written; it reports nothing yet.
func CarrierColumn(s *site.Snapshot, env Env) []Finding { return nil }
