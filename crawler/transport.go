package crawler

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
)

// rawContentType is where crawlTransport keeps the Content-Type header as the
// server sent it.
const rawContentType = "X-Gkaudit-Content-Type"

// crawlTransport wraps the transport colly uses:
//
//   - every request is also cancelled by the crawl's context, including the
//     ones colly makes without it;
//   - the charset parameter is moved out of Content-Type (into
//     rawContentType), so that colly's Response.fixCharset leaves the body as
//     received and decodeBody sees the raw bytes, whatever the header says.
type crawlTransport struct {
	base http.RoundTripper
	ctx  context.Context
}

func (t *crawlTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancel(req.Context())
	stop := context.AfterFunc(t.ctx, cancel)
	release := func() { stop(); cancel() }
	resp, err := t.base.RoundTrip(req.Clone(ctx))
	if err != nil {
		release()
		return nil, err
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		resp.Header.Set(rawContentType, ct)
		if mt, _, ok := strings.Cut(ct, ";"); ok {
			resp.Header.Set("Content-Type", strings.TrimSpace(mt))
		}
	}
	resp.Body = &releaseBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

// releaseBody releases the request's context when the body is closed.
type releaseBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (b *releaseBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}
