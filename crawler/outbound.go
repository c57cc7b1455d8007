package crawler

import (
	"io"
	"net/http"
	"net/url"

	"gkaudit/page"
	"gkaudit/site"
)

const (
	// outboundReadBytes bounds how much of an outbound landing page is read:
	// the title, the meta tags and the start of the text are all link.suspicious
	// reads, and a takeover page says what it is at its top.
	outboundReadBytes = 256 << 10
	// defaultOutboundSample is crawl.outbound_sample's default.
	defaultOutboundSample = 2000
)

// landing fetches the page an outbound link leads to, after its probe
// answered 2xx, and keeps its title and a text sample (site.Landing) for
// link.suspicious: a landing page that now carries gambling words, or whose
// title changed since an earlier run. Attachments and non-HTML answers get
// none. The GET's exchanges join the probe's.
func (c *crawl) landing(u string, res *site.Probe) {
	if res.Err != "" || res.Status < 200 || res.Status >= 300 {
		return
	}
	if pu, err := url.Parse(u); err != nil || isAttachment(pu) {
		return
	}
	token := c.log.token()
	defer c.log.drop(token)
	req, err := http.NewRequestWithContext(c.ctx, http.MethodGet, u, nil)
	if err != nil {
		return
	}
	req.Header.Set("User-Agent", c.pol.UserAgent)
	req.Header.Set("Accept", "text/html,*/*;q=0.5")
	req.Header.Set(fetchHeader, token)
	resp, err := c.probeClient.Do(req)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	res.Exchanges = append(res.Exchanges, c.log.get(token)...)
	ct := resp.Header.Get("Content-Type")
	if resp.StatusCode < 200 || resp.StatusCode >= 300 || (ct != "" && !isHTMLType(ct)) {
		return
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, outboundReadBytes))
	if err != nil && len(raw) == 0 {
		return
	}
	body, _ := decodeBody(raw, ct)
	limit := c.pol.OutboundSample
	if limit <= 0 {
		limit = defaultOutboundSample
	}
	l := landingOf(body, limit)
	l.FinalURL = resp.Request.URL.String()
	res.Landing = &l
}

// landingOf reads what an outbound link's landing page shows (page.Sample).
func landingOf(body []byte, limit int) site.Landing {
	title, text := page.Sample(body, limit)
	return site.Landing{Title: title, Text: text}
}
