package render_test

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gkaudit/render"
)

// session starts a browser, or skips when none is installed outside CI
// (.ci/run installs Debian's chromium, so CI always renders).
func session(t *testing.T) *render.Session {
	t.Helper()
	s, err := render.Start(context.Background())
	if errors.Is(err, render.ErrNoBrowser) && os.Getenv("CI") == "" {
		t.Skip("no chromium installed")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func fileURL(t *testing.T, html string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(p, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// Ensure that a page prints to a PDF and screenshots to a PNG.
func TestSession_PDFAndScreenshot(t *testing.T) {
	s := session(t)
	page := fileURL(t, `<!DOCTYPE html><meta charset="utf-8"><style>@page{size:A4;margin:20mm}</style><h1>关于新碶街道网站政务公开问题的整改通知</h1>`)
	out := filepath.Join(t.TempDir(), "out.pdf")
	if err := s.PDF(page, out); err != nil {
		t.Fatal(err)
	}
	pdf, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("/MediaBox")) {
		t.Errorf("PDF output does not look like a PDF: %q", pdf[:min(len(pdf), 40)])
	}
	png := filepath.Join(t.TempDir(), "out.png")
	if err := s.Screenshot(page, png, 800, 600, false); err != nil {
		t.Fatal(err)
	}
	img, err := os.ReadFile(png)
	if err != nil || !bytes.HasPrefix(img, []byte("\x89PNG")) {
		t.Errorf("screenshot is not a PNG (%v)", err)
	}
}
