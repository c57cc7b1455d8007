package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Start opens the listeners: the portal, one per unit with its own host, the
// external host, and the two trap addresses (one closed, one that accepts
// and never answers).
func (d *District) Start() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.started {
		return errors.New("sim: already started")
	}
	closedAddr, hangAddr, err := d.assignPorts()
	if err != nil {
		return err
	}
	for _, h := range d.hosts {
		ln, err := net.Listen("tcp", h.listen)
		if err != nil {
			d.closeLocked()
			return fmt.Errorf("sim: listen %s: %w", h.listen, err)
		}
		h.ln = ln
		h.base = "http://" + ln.Addr().String()
		h.srv = &http.Server{Handler: d.handler(h), ReadHeaderTimeout: 10 * time.Second}
		go h.srv.Serve(ln)
	}
	if err := d.traps.start(closedAddr, hangAddr); err != nil {
		d.closeLocked()
		return err
	}
	d.started = true
	d.truth = nil // subjects carry the new ports
	return nil
}

// assignPorts gives every host its address. With a fixed portal port P the
// own hosts, the external host and the two traps take P+1, P+2 ... in that
// order; otherwise they take any free port (":0").
func (d *District) assignPorts() (closedAddr, hangAddr string, err error) {
	hostPart, portStr, err := net.SplitHostPort(d.opt.Listen)
	if err != nil {
		return "", "", fmt.Errorf("sim: listen address %q: %w", d.opt.Listen, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return "", "", fmt.Errorf("sim: listen address %q: bad port", d.opt.Listen)
	}
	if hostPart == "" {
		hostPart = "127.0.0.1"
	}
	addr := func(i int) string {
		if port == 0 {
			return net.JoinHostPort(hostPart, "0")
		}
		return net.JoinHostPort(hostPart, strconv.Itoa(port+i))
	}
	last := len(d.hosts) + 1
	if port != 0 && port+last > 65535 {
		return "", "", fmt.Errorf("sim: listen address %q: the district needs ports %d to %d", d.opt.Listen, port, port+last)
	}
	d.hosts[0].listen = d.opt.Listen
	for i, h := range d.hosts[1:] {
		h.listen = addr(i + 1)
	}
	return addr(len(d.hosts)), addr(len(d.hosts) + 1), nil
}

// Close stops every listener and drops open connections, the hanging ones
// included.
func (d *District) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.closeLocked()
}

func (d *District) closeLocked() error {
	var errs []error
	for _, h := range d.hosts {
		if h.srv != nil {
			errs = append(errs, h.srv.Close())
			h.srv = nil
		}
	}
	d.traps.close()
	d.started = false
	return errors.Join(errs...)
}

func (d *District) handler(h *host) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == proxyPath && !h.external {
			d.serveProxy(h, w, r) // POST, as jpage sends it
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if r.URL.Path == "/robots.txt" {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			fmt.Fprint(w, h.robots)
			return
		}
		if h == d.portal && r.URL.Path == portalIndexPath {
			d.servePortalIndex(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/images/") {
			d.write(w, r, "image/png", pngBytes, time.Date(d.year, 1, 2, 0, 0, 0, 0, d.asOf.Location()))
			return
		}
		if r.URL.Path == footScript && !h.external {
			d.write(w, r, "application/javascript", []byte(footScriptBody), time.Date(d.year, 1, 2, 0, 0, 0, 0, d.asOf.Location()))
			return
		}
		if h.external {
			d.serveExternal(w, r)
			return
		}
		rt, ok := h.routes[r.URL.Path]
		if !ok {
			d.notFound(w)
			return
		}
		switch rt.kind {
		case rLoopA:
			http.Redirect(w, r, path.Base(rt.s.extraPath("loopB")), http.StatusFound)
			return
		case rLoopB:
			http.Redirect(w, r, path.Base(rt.s.extraPath("loopA")), http.StatusFound)
			return
		case rHuge:
			serveHuge(w, r)
			return
		case rFail:
			http.Error(w, "500 Internal Server Error: java.lang.NullPointerException", http.StatusInternalServerError)
			return
		case rScript:
			d.write(w, r, "application/javascript", []byte(jpageScript), time.Date(d.year, 1, 2, 0, 0, 0, 0, d.asOf.Location()))
			return
		case rAttach:
			d.write(w, r, attachmentType(rt.att.path), attachmentBody(rt.att), d.lastModified(route{}))
			return
		}
		body, ok := d.renderRoute(h, rt, r)
		if !ok {
			d.notFound(w)
			return
		}
		d.writeHTML(w, r, rt.s, body, d.lastModified(rt))
	})
}

// renderRoute renders an HTML route; false when the query asks for a page
// that does not exist.
func (d *District) renderRoute(h *host, rt route, r *http.Request) (string, bool) {
	s := rt.s
	switch rt.kind {
	case rPortalHome:
		return d.renderPortalHome(), true
	case rHome:
		return d.renderHome(s), true
	case rEntry:
		return d.renderEntry(s), true
	case rArticle:
		return d.renderArticle(s, rt.it), true
	case rForm:
		return d.renderForm(s, r.URL.Path), true
	case rSearch:
		return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>站内搜索</title></head><body><form action=\"index.html\"><input name=\"q\"><input type=\"submit\" value=\"搜索\"></form></body></html>", true
	case rCalendar:
		day, err := time.ParseInLocation("2006-01-02", r.URL.Query().Get("date"), d.asOf.Location())
		if err != nil {
			day = d.asOf
		}
		return d.renderCalendar(s, r.URL.Path, day), true
	case rColumn:
		i := rt.page
		if pn := r.URL.Query().Get("pageNum"); pn != "" && !s.own && s.tpl == 0 {
			n, err := strconv.Atoi(pn)
			if err != nil || n < 1 || n > rt.c.pageCount() {
				return "", false
			}
			i = n - 1
		}
		return d.renderColumn(s, rt.c, i), true
	}
	return "", false
}

func (d *District) notFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprint(w, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404</title></head><body><h1>您访问的页面不存在或已被删除</h1></body></html>")
}

// writeHTML encodes the page in the unit's charset and declares it the way
// the unit's CMS does.
func (d *District) writeHTML(w http.ResponseWriter, r *http.Request, s *unitSite, body string, mod time.Time) {
	ctype := "text/html; charset=utf-8"
	data := []byte(body)
	if s != nil && s.enc != encUTF8 {
		enc, err := simplifiedchinese.GBK.NewEncoder().Bytes(data)
		if err != nil {
			http.Error(w, "sim: page not encodable in GBK: "+err.Error(), http.StatusInternalServerError)
			return
		}
		data = enc
		ctype = "text/html"
		if s.enc == encGBKHeader {
			ctype = "text/html; charset=gbk"
		}
	}
	d.write(w, r, ctype, data, mod)
}

// write sends data with ETag and Last-Modified and answers conditional GETs
// with 304.
func (d *District) write(w http.ResponseWriter, r *http.Request, ctype string, data []byte, mod time.Time) {
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:10]) + `"`
	hdr := w.Header()
	hdr.Set("Content-Type", ctype)
	hdr.Set("ETag", etag)
	hdr.Set("Last-Modified", mod.UTC().Format(http.TimeFormat))
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if inm == etag || inm == "*" || strings.Contains(inm, etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	} else if ims, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !mod.Truncate(time.Second).After(ims) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hdr.Set("Content-Length", strconv.Itoa(len(data)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(data)
}

// hugeSize is the length of the huge page.
const hugeSize = 50 << 20

// hugeETag is the huge page's validator: it never changes.
const hugeETag = `"huge-50m-v1"`

// serveHuge streams a 50 MB page of table rows without holding it in memory.
// Like a static file, it has a validator and answers a conditional GET with
// 304.
func serveHuge(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("ETag", hugeETag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, hugeETag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(hugeSize))
	if r.Method == http.MethodHead {
		return
	}
	row := []byte("<tr><td>2019-01-01</td><td>data row</td><td>0000000000</td></tr>\n")
	chunk := make([]byte, 0, 64<<10)
	for len(chunk)+len(row) <= cap(chunk) {
		chunk = append(chunk, row...)
	}
	for left := hugeSize; left > 0; {
		n := min(left, len(chunk))
		if _, err := w.Write(chunk[:n]); err != nil || r.Context().Err() != nil {
			return
		}
		left -= n
	}
}

// serveExternal answers for every site outside the district: 200 for all
// but the retired pages of a dead site.
func (d *District) serveExternal(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/www.nbdpc.gov.cn/old/") {
		d.notFound(w)
		return
	}
	body := fmt.Sprintf("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title></head><body><p>外部网站页面</p></body></html>", esc(strings.TrimPrefix(r.URL.Path, "/")))
	if title, text, ok := d.outboundPage(strings.TrimPrefix(r.URL.Path, "/")); ok {
		body = fmt.Sprintf("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title></head><body><p>%s</p></body></html>", esc(title), esc(text))
	}
	d.write(w, r, "text/html; charset=utf-8", []byte(body), time.Date(d.year, 1, 2, 0, 0, 0, 0, d.asOf.Location()))
}

var attachmentTypes = map[string]string{
	".pdf": "application/pdf",
	".doc": "application/msword",
	".xls": "application/vnd.ms-excel",
	".csv": "text/csv",
}

func attachmentType(p string) string { return attachmentTypes[path.Ext(p)] }

// attachmentBody is a small file that starts like the real format.
func attachmentBody(a *attachment) []byte {
	if a.body != nil {
		return a.body
	}
	switch path.Ext(a.path) {
	case ".pdf":
		return []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	default: // OLE compound file signature (.doc, .xls)
		return append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	}
}

// pngBytes is a 1x1 transparent PNG.
var pngBytes = []byte{
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
	0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
	0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
	0x42, 0x60, 0x82,
}
