package page

import "net/url"

// readContent reads the views of the page's content the checks share
// (Anchors, Headings, Article, Blocks, NoMain), links resolved against
// base, the page's own URL.
func readContent(v *View, t *tree, base *url.URL) {
	stripped := t.stripped.Nodes[0]
	v.Anchors = readAnchors(t.doc, base)
	v.Headings = readHeadings(stripped)
	v.Article = readArticle(t)
	v.Blocks = readBlocks(stripped, base)
	v.NoMain = !hasMainText(stripped)
}
