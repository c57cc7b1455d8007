package page

import "net/url"

// readContent reads the views of the page's content the checks share
// (Anchors, Headings, Article, Blocks, NoMain), links resolved against
// base, the page's own URL.
func readContent(v *View, t *tree, base *url.URL) {
	stripped := t.stripped.Nodes[0]
	v.Anchors = readAnchors(t.doc, base)
	v.Headings = readHeadings(stripped)
	if v.Article = readArticle(t); v.Article == v.Main {
		v.Article = "" // the same text twice (ArticleText reads Main)
	}
	v.Blocks = readBlocks(stripped, base)
	v.NoMain = !hasMainText(stripped)
}

// ArticleText is the page's Article, or its Main text when nothing is left
// of the content without asides and link lists, or all of it is.
func (v *View) ArticleText() string {
	if v.Article != "" {
		return v.Article
	}
	return v.Main
}
