package testutil

import "gkaudit/config"

// AllowLoopback lets cfg's crawls and probes reach loopback, where test
// servers and the simulated district listen: the SSRF guard refuses it by
// default.
func AllowLoopback(cfg *config.Config) {
	cfg.Crawl.AllowNetworks = append(cfg.Crawl.AllowNetworks, "127.0.0.0/8", "::1/128")
}
