package checks

import "gkaudit/site"

// DecisionConsultationRule is the source of the check. PLACEHOLDER: being written.
const DecisionConsultationRule = ""

var decisionConsultationTerms = map[string][]string{}

// DecisionConsultation is a placeholder being written; it reports nothing yet.
func DecisionConsultation(s *site.Snapshot, env Env) []Finding { return nil }
