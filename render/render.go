// Package render turns HTML pages into PDF files and PNG screenshots with
// Debian's chromium, driven through the DevTools protocol by chromedp. It is
// a leaf package: callers hand it a file or URL and a destination.
package render

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/chromedp/chromedp"
)

// ErrNoBrowser is returned when no chromium is installed.
var ErrNoBrowser = errors.New("未找到 chromium 浏览器（Debian: apt-get install chromium），无法生成 PDF")

// candidates are the browser binaries looked for, in order.
var candidates = []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"}

// Browser returns the path of an installed chromium, or ErrNoBrowser.
func Browser() (string, error) {
	if p := os.Getenv("GKAUDIT_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// Session is one headless browser; Close ends it.
type Session struct {
	ctx    context.Context
	cancel func()
}

// Start launches a headless chromium. It is not sandboxed (CI and the
// office's service run as root), starts with an empty profile and makes no
// background connections, since the machine may have no network.
func Start(ctx context.Context) (*Session, error) {
	bin, err := Browser()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "gkaudit-chromium-")
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(dir),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil {
		bcancel()
		acancel()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("render: start %s: %w", bin, err)
	}
	return &Session{ctx: bctx, cancel: func() { bcancel(); acancel(); os.RemoveAll(dir) }}, nil
}

// Close ends the browser.
func (s *Session) Close() { s.cancel() }

// pageTimeout bounds loading and printing one page.
const pageTimeout = 60 * time.Second

// PDF prints the page at url (file:// or http://) to an A4 PDF, honouring
// the page's own @page size and margins, and writes it to out.
func (s *Session) PDF(url, out string) error {
	ctx, cancel := chromedp.NewContext(s.ctx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, pageTimeout)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("render: pdf of %s: %w", url, err)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4),
		chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
	if err != nil {
		return fmt.Errorf("render: pdf of %s: %w", url, err)
	}
	if err := os.WriteFile(out, pdf, 0o644); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	return nil
}

// Screenshot loads url in a window of width×height CSS pixels and writes a
// PNG of the whole page (full: true) or of the window to out.
func (s *Session) Screenshot(url, out string, width, height int, full bool) error {
	ctx, cancel := chromedp.NewContext(s.ctx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, pageTimeout)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height)), chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("render: screenshot of %s: %w", url, err)
	}
	shot := chromedp.CaptureScreenshot()
	if full {
		shot = chromedp.FullScreenshot(100)
	}
	png, err := chromedp.Run(ctx, shot)
	if err != nil {
		return fmt.Errorf("render: screenshot of %s: %w", url, err)
	}
	if err := os.WriteFile(out, png, 0o644); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	return nil
}

// Tab opens a new tab of the session's browser, for callers that drive
// pages themselves (logging in before a screenshot, browser tests); cancel
// closes it.
func (s *Session) Tab() (context.Context, context.CancelFunc) { return chromedp.NewContext(s.ctx) }
