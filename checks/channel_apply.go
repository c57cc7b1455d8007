package checks

import "gkaudit/site"

// ChannelApplyRule is the source of the check. PLACEHOLDER: being written.
const ChannelApplyRule = ""

var channelApplyTerms = map[string][]string{}

// ChannelApply is a placeholder being written; it reports nothing yet.
func ChannelApply(s *site.Snapshot, env Env) []Finding { return nil }
