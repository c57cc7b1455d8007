package site

import (
	"errors"
	"testing"

	"gkaudit/page"
)

// Ensure that a snapshot's reader gives skeleton pages their whole views,
// holds only the last few it read, leaves whole views alone, keeps the first
// failed read for TakeViewError, and is gone after DropViewReader.
func TestReadViewsWith(t *testing.T) {
	whole := &page.View{Title: "甲", Main: "正文"}
	pages := []*Page{{URL: "a", View: whole}}
	for _, u := range []string{"b", "c", "d"} {
		pages = append(pages, &Page{URL: u, View: (&page.View{Title: u, Main: u + "的正文"}).Skeleton()})
	}
	s := &Snapshot{Pages: pages}
	if pages[1].CanReadWhole() || !pages[0].CanReadWhole() {
		t.Fatal("CanReadWhole before a reader")
	}
	reads := map[string]int{}
	s.ReadViewsWith(func(p *Page) (*page.View, error) {
		reads[p.URL]++
		if p.URL == "d" {
			return nil, errors.New("坏记录")
		}
		return &page.View{Title: p.View.Title, Main: p.URL + "的正文", Hidden: &page.Hidden{Links: []page.HiddenLink{{URL: "http://x.example/" + p.URL}}}}, nil
	}, 1)
	if v := pages[0].WholeView(); v != whole || reads["a"] != 0 {
		t.Errorf("a whole view was read back: %+v", v)
	}
	for range 3 {
		if v := pages[1].WholeView(); v.Main != "b的正文" || v.Partial {
			t.Errorf("b = %+v", v)
		}
	}
	if reads["b"] != 1 {
		t.Errorf("b read %d times in a row, want once", reads["b"])
	}
	pages[2].WholeView() // holds one: c pushes b out
	pages[1].WholeView()
	if reads["b"] != 2 || s.ViewReads() != 3 {
		t.Errorf("reads = %v (%d), want b read again after c", reads, s.ViewReads())
	}
	// The text of a view read back stays after the view is let go.
	if got := pages[2].MainText(); got != "c的正文" || reads["c"] != 1 {
		t.Errorf("MainText(c) = %q after %d reads, want c的正文 without reading c again", got, reads["c"])
	}
	if got := pages[0].MainText(); got != "正文" {
		t.Errorf("MainText of a whole view = %q", got)
	}
	if h := pages[2].HiddenLinks(); h == nil || len(h.Links) != 1 || reads["c"] != 1 {
		t.Errorf("HiddenLinks(c) = %+v after %d reads, want c's one hidden link without reading c again", h, reads["c"])
	}
	if err := s.TakeViewError(); err != nil {
		t.Errorf("error before a failed read: %v", err)
	}
	if v := pages[3].WholeView(); v == nil || v.Partial || v.Main != "" {
		t.Errorf("failed read gives %+v, want an empty whole view", v)
	}
	if err := s.TakeViewError(); err == nil || err.Error() != "坏记录" {
		t.Errorf("TakeViewError = %v", err)
	}
	if err := s.TakeViewError(); err != nil {
		t.Errorf("TakeViewError again = %v, want nil", err)
	}
	s.DropViewReader()
	if v := pages[1].WholeView(); !v.Partial || pages[1].CanReadWhole() {
		t.Errorf("after DropViewReader: %+v", v)
	}
}
