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
	err   error   // the first failed read since TakeViewError
	reads int
}

// ReadViewsWith makes the snapshot's pages whose views are skeletons read
// their whole views through read when the checks ask for them
// (Page.WholeView), keep of them held at a time. DropViewReader ends it.
func (s *Snapshot) ReadViewsWith(read ViewReader, keep int) {
	c := &viewCache{read: read, keep: max(keep, 1), held: map[*Page]*page.View{}}
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

// CanReadWhole reports whether WholeView gives the page's whole view.
func (p *Page) CanReadWhole() bool {
	return p.View == nil || !p.View.Partial || p.views != nil
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
	return v
}
