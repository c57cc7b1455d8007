package site

import (
	"sync"

	"gkaudit/page"
)

// A crawl of a large unit keeps most pages' views as skeletons
// (page.View.Skeleton) and sends the whole views to the store. The checks
// read whole views; holding every page's at once would make a run's memory
// grow with the size of its largest unit. So a snapshot being judged reads
// whole views back on demand (ReadViewsWith), holding only the few most
// recently read: a check looks at one page several times in a row, then
// moves on.

// ViewReader reads back the whole view of a page whose View is a skeleton.
type ViewReader func(p *Page) (*page.View, error)

// viewCache holds the whole views most recently read back for one snapshot.
type viewCache struct {
	read ViewReader
	keep int

	mu    sync.Mutex
	held  map[*Page]*page.View
	order []*Page // held pages, least recently read first
	// kept holds the main text and hidden links of every view read back,
	// after the view itself is let go: several checks pass over every
	// page's text or hidden links in turn (MainText, HiddenLinks), and
	// those are a small part of a view.
	kept  map[*Page]keptOfView
	err   error // the first failed read since TakeViewError
	reads int
}

// ReadViewsWith makes the snapshot's pages whose views are skeletons read
// their whole views through read when the checks ask for them
// (Page.WholeView), keep of them held at a time. DropViewReader ends it.
func (s *Snapshot) ReadViewsWith(read ViewReader, keep int) {
	c := &viewCache{read: read, keep: max(keep, 1), held: map[*Page]*page.View{}, kept: map[*Page]keptOfView{}}
	for _, p := range s.Pages {
		if p != nil && p.View != nil && p.View.Partial {
			p.views = c
		}
	}
	s.views = c
}

// DropViewReader forgets the reader ReadViewsWith set, and the whole views
// it holds.
func (s *Snapshot) DropViewReader() {
	for _, p := range s.Pages {
		if p != nil {
			p.views = nil
		}
	}
	s.views = nil
}

// TakeViewError returns the first error reading a whole view back since
// the last call (nil when every read succeeded), and forgets it.
func (s *Snapshot) TakeViewError() error {
	c := s.views
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	err := c.err
	c.err = nil
	return err
}

// ViewReads is how many whole views the snapshot's reader has read back.
func (s *Snapshot) ViewReads() int {
	c := s.views
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reads
}

// WholeView returns the page's whole view: View itself when it is whole (or
// nil), else the one its snapshot's reader reads back (ReadViewsWith). A
// skeleton without a reader is returned as it is. A failed read returns an
// empty view and is kept for TakeViewError.
func (p *Page) WholeView() *page.View {
	if p.View == nil || !p.View.Partial || p.views == nil {
		return p.View
	}
	return p.views.get(p)
}

// keptOfView is what a viewCache keeps of a view it has let go.
type keptOfView struct {
	main   string
	hidden *page.Hidden
}

func keep(v *page.View) keptOfView { return keptOfView{main: v.Main, hidden: v.Hidden} }

// MainText returns the main text of the page's whole view (page.View.Main),
// "" for a page without a view. A skeleton page reads its whole view back
// only the first time: its snapshot's reader keeps the text of every view
// it has read until DropViewReader.
func (p *Page) MainText() string {
	if p.View == nil {
		return ""
	}
	return p.kept().main
}

// HiddenLinks returns the links the page hides (page.View.Hidden), nil for
// a page without a view or a way of hiding; read back like MainText.
func (p *Page) HiddenLinks() *page.Hidden {
	if p.View == nil {
		return nil
	}
	return p.kept().hidden
}

// kept returns what MainText and HiddenLinks read of the page's view: of
// View itself when it is whole or has no reader, else of the one read back.
// View is not nil.
func (p *Page) kept() keptOfView {
	if !p.View.Partial || p.views == nil {
		return keep(p.View)
	}
	return p.views.keptOf(p)
}

// CanReadWhole reports whether WholeView gives the page's whole view.
func (p *Page) CanReadWhole() bool {
	return p.View == nil || !p.View.Partial || p.views != nil
}

func (c *viewCache) keptOf(p *Page) keptOfView {
	c.mu.Lock()
	k, ok := c.kept[p]
	c.mu.Unlock()
	if ok {
		return k
	}
	return keep(c.get(p))
}

func (c *viewCache) get(p *Page) *page.View {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.held[p]; ok {
		return v
	}
	v, err := c.read(p)
	c.reads++
	if err != nil || v == nil {
		if c.err == nil && err != nil {
			c.err = err
		}
		return &page.View{}
	}
	if len(c.order) >= c.keep {
		delete(c.held, c.order[0])
		c.order = append(c.order[:0], c.order[1:]...)
	}
	c.held[p] = v
	c.order = append(c.order, p)
	c.kept[p] = keep(v)
	return v
}
