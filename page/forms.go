package page

import (
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// Form is one <form> of a page: where it is sent and how many fields it
// asks the reader to fill (text boxes and areas, choice lists, files, radio
// buttons and check boxes; not hidden fields or buttons).
type Form struct {
	Action string `json:"action,omitempty"`
	Fields int    `json:"fields"`
}

// fillTypes are the input types a reader fills in.
var fillTypes = map[string]bool{"": true, "text": true, "email": true, "tel": true, "number": true, "date": true, "file": true, "radio": true, "checkbox": true}

// choiceLists matches the choice lists of a form as written, closed
// (<select>…</select>, <option>…</option>): their options (邮寄, 电子邮件,
// 自行领取) are what one may pick, not what the page says.
var choiceLists = regexp.MustCompile(`(?is)<select.*?</select>|<option.*?</option>`)

// choiceTags open a choice list.
var choiceTags = [][]byte{[]byte("<select"), []byte("<option")}

// formTag opens a form.
var formTag = [][]byte{[]byte("<form")}

// readForms fills the page's form views from the shared tree: its forms
// and, when its content holds closed choice lists, its content lines and
// article text without them.
func readForms(v *View, t *tree, body []byte) {
	if hasTagFold(body, formTag) {
		v.Forms = formsOf(t.doc)
	}
	if v.LinesWhole || !hasTagFold(body, choiceTags) || !choiceLists.Match(body) || !hasElement(t.stripped.Nodes, formChoices) {
		return
	}
	v.Choices = true
	v.FormLines = segmentsSkipping(formChoices, t.stripped.Nodes...)
	v.FormText = formlessText(t)
}

// formlessText is the article text of the page without its choice lists;
// when it has none, its content's text, else its whole text (scripts and
// styles left out).
func formlessText(t *tree) string {
	formless := func(d *goquery.Document) *goquery.Document {
		d.Find("select, option").Remove()
		return d
	}
	if text := prunedText(formless(t.strippedClone())); text != "" {
		return text
	}
	if text := Collapse(spaceBlocks(formless(t.strippedClone())).Find("body").Text()); text != "" {
		return text
	}
	w := formless(goquery.NewDocumentFromNode(clone(t.doc)))
	w.Find("script, style, noscript").Remove()
	return Collapse(w.Text())
}

// formsOf lists the forms of a document.
func formsOf(doc *html.Node) []Form {
	var out []Form
	goquery.NewDocumentFromNode(doc).Find("form").Each(func(_ int, f *goquery.Selection) {
		action, _ := f.Attr("action")
		fields := f.Find("textarea, select").Length()
		f.Find("input").Each(func(_ int, in *goquery.Selection) {
			if t, _ := in.Attr("type"); fillTypes[strings.ToLower(t)] {
				fields++
			}
		})
		out = append(out, Form{Action: action, Fields: fields})
	})
	return out
}

// prunedText is the text of a stripped tree (StripChrome) without its
// asides and link lists (side menus, column trees, related-links boxes),
// blocks ending with a space; it edits the tree.
func prunedText(doc *goquery.Document) string {
	doc.Find("aside").Remove()
	for _, n := range doc.Nodes {
		linkLists(n, nil, func(b *html.Node) { b.Parent.RemoveChild(b) })
	}
	return Collapse(spaceBlocks(doc).Find("body").Text())
}

// spaceBlocks ends every block element of the tree with a space, so that
// "地址：" in one cell does not run into the next cell's label.
func spaceBlocks(doc *goquery.Document) *goquery.Document {
	doc.Find("br, p, div, li, tr, td, th, dt, dd, h1, h2, h3, h4, h5, h6, table").Each(func(_ int, sel *goquery.Selection) {
		sel.AppendHtml(" ")
	})
	return doc
}
