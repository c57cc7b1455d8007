package store

import (
	"maps"
	"net/http"
	"slices"
	"time"

	"gkaudit/site"
)

// HTTP exchanges are stored in two parts, like the rest of a page record.
// What the server says the same way every time an unchanged page is fetched
// (status line, Server, Content-Type, ETag ...) goes with the page metadata
// into the shared blobs; what changes every fetch (Date, Set-Cookie, the
// request's conditionals, when each request went out) goes into the run's
// own visit as a difference from that stable part. On a 304 the stable part
// is that of the full fetch the 304 confirmed (site.Page.Origin), so an
// unchanged page keeps sharing the blob of the run that fetched it, and the
// visit says how the 304 exchange differs from it.

// volatileFields are the header fields, request and response, that differ
// between two fetches of an unchanged page. A field missing here only costs
// sharing (the page's metadata is stored again), never correctness.
var volatileFields = map[string]bool{
	"Date": true, "Expires": true, "Age": true, "Set-Cookie": true, "Set-Cookie2": true,
	"Cookie": true, "Cookie2": true, "If-None-Match": true, "If-Modified-Since": true,
	"X-Request-Id": true, "X-Trace-Id": true, "X-Amzn-Trace-Id": true, "X-Amz-Cf-Id": true,
	"Cf-Ray": true, "X-Varnish": true, "X-Cache": true, "X-Cache-Hits": true, "X-Served-By": true,
	"X-Timer": true, "Server-Timing": true, "X-Runtime": true, "X-Response-Time": true,
	"Traceparent": true, "Eagleid": true, "X-Swift-Savetime": true, "X-Swift-Cachetime": true,
}

// storedExchange is the stable part of an exchange.
type storedExchange struct {
	Method string      `json:"m,omitempty"` // "" for GET
	URL    string      `json:"u,omitempty"`
	Req    site.Header `json:"q,omitempty"`
	Proto  string      `json:"p,omitempty"` // "" when no response arrived
	Status string      `json:"s,omitempty"`
	Resp   site.Header `json:"r,omitempty"`
}

// exchangeDiff is how one exchange of a fetch differs from the stable part
// it is stored against (the zero storedExchange past its end).
type exchangeDiff struct {
	T int64 `json:"t,omitempty"` // the request went out T ms after the record's fetch time
	// D is the response's Date as seconds after the request's second, when
	// it reads back to the same text (it nearly always does).
	D      *int64 `json:"d,omitempty"`
	Method string `json:"m,omitempty"`
	URL    string `json:"u,omitempty"`
	Proto  string `json:"p,omitempty"`
	Status string `json:"s,omitempty"`
	NoResp bool   `json:"n,omitempty"` // no response, where the stable part has one
	// Cond has bit 1<<i set when the request's condFields[i] was the
	// record's validators[i], kept out of ReqSet: an ETag is random text
	// that compression cannot shrink.
	Cond   int         `json:"c,omitempty"`
	ReqSet site.Header `json:"qs,omitempty"`
	ReqDel []string    `json:"qd,omitempty"`
	RspSet site.Header `json:"rs,omitempty"`
	RspDel []string    `json:"rd,omitempty"`
}

// stableExchanges drops the volatile fields and times of xs.
func stableExchanges(xs []site.Exchange) []storedExchange {
	if len(xs) == 0 {
		return nil
	}
	out := make([]storedExchange, len(xs))
	for i, x := range xs {
		s := storedExchange{URL: x.Request.URL, Req: stableHeader(x.Request.Header)}
		if x.Request.Method != http.MethodGet {
			s.Method = x.Request.Method
		}
		if x.Response != nil {
			s.Proto, s.Status, s.Resp = x.Response.Proto, x.Response.Status, stableHeader(x.Response.Header)
		}
		out[i] = s
	}
	return out
}

func stableHeader(h site.Header) site.Header {
	var out site.Header
	for k, v := range h {
		if volatileFields[k] {
			continue
		}
		if out == nil {
			out = site.Header{}
		}
		out[k] = v
	}
	return out
}

// validators are a record's ETag and Last-Modified, which a conditional
// request sends back as condFields.
type validators [2]string

var condFields = validators{"If-None-Match", "If-Modified-Since"}

// diffExchanges encodes xs, fetched at at, against base. It returns nil
// and none=false when xs is base exactly, sent at at (a full fetch without
// volatile fields); none=true when xs is empty and base is not.
func diffExchanges(xs []site.Exchange, base []storedExchange, at time.Time, val validators) (diffs []exchangeDiff, none bool) {
	if len(xs) == 0 {
		return nil, len(base) > 0
	}
	diffs = make([]exchangeDiff, len(xs))
	changed := len(xs) != len(base)
	for i, x := range xs {
		var b storedExchange
		if i < len(base) {
			b = base[i]
		}
		s := stableExchanges(xs[i : i+1])[0]
		d := exchangeDiff{}
		sent := time.Time{} // as joinExchanges will read it back
		if !x.At.IsZero() && !at.IsZero() {
			d.T = x.At.Sub(at).Milliseconds()
			sent = at.Add(time.Duration(d.T) * time.Millisecond)
		}
		if s.Method != b.Method {
			d.Method = orGet(s.Method)
		}
		if s.URL != b.URL {
			d.URL = s.URL
		}
		d.ReqSet, d.ReqDel = diffHeader(x.Request.Header, b.Req)
		for i, f := range condFields {
			if v := d.ReqSet[f]; val[i] != "" && len(v) == 1 && v[0] == val[i] {
				d.Cond |= 1 << i
				delete(d.ReqSet, f)
			}
		}
		if len(d.ReqSet) == 0 {
			d.ReqSet = nil
		}
		switch {
		case x.Response == nil && b.Proto != "":
			d.NoResp = true
		case x.Response != nil:
			if s.Proto != b.Proto {
				d.Proto = s.Proto
			}
			if s.Status != b.Status {
				d.Status = s.Status
			}
			full := x.Response.Header
			if date, ok := compactDate(full.Get("Date"), sent); ok && len(full["Date"]) == 1 {
				d.D = &date
				full = maps.Clone(full)
				delete(full, "Date")
			}
			d.RspSet, d.RspDel = diffHeader(full, b.Resp)
		}
		if !changed && (d.T != 0 || d.D != nil || d.Method != "" || d.URL != "" || d.Proto != "" || d.Status != "" ||
			d.NoResp || d.Cond != 0 || d.ReqSet != nil || d.ReqDel != nil || d.RspSet != nil || d.RspDel != nil) {
			changed = true
		}
		diffs[i] = d
	}
	if !changed {
		return nil, false
	}
	return diffs, false
}

// orGet turns the stored "" back into GET where a diff must name it.
func orGet(m string) string {
	if m == "" {
		return http.MethodGet
	}
	return m
}

// diffHeader returns the fields of h that base lacks or holds with other
// values, and the fields of base that h lacks, sorted.
func diffHeader(h, base site.Header) (set site.Header, del []string) {
	for k, v := range h {
		if bv, ok := base[k]; ok && slices.Equal(v, bv) {
			continue
		}
		if set == nil {
			set = site.Header{}
		}
		set[k] = v
	}
	for k := range base {
		if _, ok := h[k]; !ok {
			del = append(del, k)
		}
	}
	slices.Sort(del)
	return set, del
}

// compactDate reads an HTTP Date as seconds after the second the request
// went out, when formatting it back gives the same text.
func compactDate(v string, sent time.Time) (int64, bool) {
	if v == "" || sent.IsZero() {
		return 0, false
	}
	t, err := http.ParseTime(v)
	if err != nil || t.UTC().Format(http.TimeFormat) != v {
		return 0, false
	}
	return t.Unix() - sent.Unix(), true
}

// joinExchanges rebuilds the exchanges of a fetch at at from its stable
// part and diffs (see diffExchanges).
func joinExchanges(base []storedExchange, diffs []exchangeDiff, none bool, at time.Time, val validators) []site.Exchange {
	if none {
		return nil
	}
	if diffs == nil {
		diffs = make([]exchangeDiff, len(base))
	}
	if len(diffs) == 0 {
		return nil
	}
	out := make([]site.Exchange, len(diffs))
	for i, d := range diffs {
		var b storedExchange
		if i < len(base) {
			b = base[i]
		}
		x := site.Exchange{Request: site.Request{Method: orGet(b.Method), URL: b.URL}}
		if !at.IsZero() {
			x.At = at.Add(time.Duration(d.T) * time.Millisecond)
		}
		if d.Method != "" {
			x.Request.Method = d.Method
		}
		if d.URL != "" {
			x.Request.URL = d.URL
		}
		x.Request.Header = patchHeader(b.Req, d.ReqSet, d.ReqDel)
		for i, f := range condFields {
			if d.Cond&(1<<i) != 0 {
				if x.Request.Header == nil {
					x.Request.Header = site.Header{}
				}
				x.Request.Header[f] = []string{val[i]}
			}
		}
		proto, status := b.Proto, b.Status
		if d.Proto != "" {
			proto = d.Proto
		}
		if d.Status != "" {
			status = d.Status
		}
		if proto != "" && !d.NoResp {
			h := patchHeader(b.Resp, d.RspSet, d.RspDel)
			if d.D != nil && !x.At.IsZero() {
				if h == nil {
					h = site.Header{}
				}
				h["Date"] = []string{time.Unix(x.At.Unix()+*d.D, 0).UTC().Format(http.TimeFormat)}
			}
			x.Response = &site.Response{Proto: proto, Status: status, Header: h}
		}
		out[i] = x
	}
	return out
}

func patchHeader(base, set site.Header, del []string) site.Header {
	if len(base) == 0 && len(set) == 0 {
		return nil
	}
	h := make(site.Header, len(base)+len(set))
	for k, v := range base {
		if !slices.Contains(del, k) {
			h[k] = v
		}
	}
	maps.Copy(h, set)
	return h
}

// siteExchanges turns stable parts back into exchanges without times or
// volatile fields (a NotModified page's Origin).
func siteExchanges(base []storedExchange) []site.Exchange {
	if len(base) == 0 {
		return nil
	}
	return joinExchanges(base, nil, false, time.Time{}, validators{})
}
