package audit

import (
	"gkaudit/site"
	"strings"
)

// FetchErrorKind classifies why a fetch did not give a 2xx answer, for the
// service's metrics: timeout, dns, refused, reset, tls, redirect_loop,
// no_response, blocked (the SSRF guard refused the address), http_3xx, http_4xx, http_5xx or other; "" for a 2xx answer and
// for a page the crawl left unfetched by its own budget ("not fetched ...").
// The crawler records errors as text, so the kinds are read from it.
func FetchErrorKind(status int, err string) string {
	if err != "" {
		e := strings.ToLower(err)
		switch {
		case strings.HasPrefix(e, "not fetched"):
			return ""
		case site.BlockedText(err):
			return "blocked"
		case strings.Contains(e, "redirect"):
			return "redirect_loop"
		case strings.Contains(e, "timeout"), strings.Contains(e, "deadline exceeded"):
			return "timeout"
		case strings.Contains(e, "no such host"), strings.Contains(e, "server misbehaving"), strings.Contains(e, "lookup "):
			return "dns"
		case strings.Contains(e, "refused"):
			return "refused"
		case strings.Contains(e, "reset by peer"), strings.Contains(e, "broken pipe"), strings.Contains(e, "eof"):
			return "reset"
		case strings.Contains(e, "tls"), strings.Contains(e, "x509"), strings.Contains(e, "certificate"):
			return "tls"
		}
		return "other"
	}
	switch {
	case status >= 200 && status < 300:
		return ""
	case status == 0:
		return "no_response"
	case status < 400:
		return "http_3xx"
	case status < 500:
		return "http_4xx"
	case status < 600:
		return "http_5xx"
	}
	return "other"
}
