package page

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Media is what a page shows that may lead to its accounts on 微博 and 微信
// (政务新媒体): its links and its named images outside share widgets.
type Media struct {
	Links  []MediaLink `json:"links,omitempty"`
	Images []Image     `json:"images,omitempty"`
}

// MediaLink is a link outside share widgets.
type MediaLink struct {
	URL string `json:"url,omitempty"` // resolved; "" for a javascript: link
	// Text is the link's text, else its title, as Plain.
	Text string `json:"text,omitempty"`
	// Image says a link without an address holds an image or sits beside
	// one (a javascript: link that pops a QR code up); false for the others.
	Image bool `json:"image,omitempty"`
}

// Image is an image outside share widgets with what names it.
type Image struct {
	URL string `json:"url"` // resolved
	Src string `json:"src"` // as written: its file name may say 二维码 (ewm, qrcode)
	// Label is its alt and title text, as Plain.
	Label string `json:"label,omitempty"`
	// Caption is the text of the nearest of the three blocks around it that
	// has text, as Plain, when that text is a caption (at most
	// maxCaption runes).
	Caption string `json:"caption,omitempty"`
	// Beside are the texts (as Plain, captions only) of the blocks just
	// before and just after the image's own block, when that block has no
	// text: a QR code shown in the paragraph after its account's name.
	Beside []string `json:"beside,omitempty"`
}

// maxCaption is the longest caption, in runes: a longer text is the page's
// prose, not what names an image.
const maxCaption = 100

// shareMarker matches class/id tokens and URLs of share widgets (分享到微信),
// which link to the platforms without being the unit's account.
var shareMarker = regexp.MustCompile(`(?i)share|bdshare|bds_|jiathis|fenxiang|addthis`)

// mediaNames pre-filter the pages worth reading for accounts.
var mediaNames = [][]byte{[]byte("微"), []byte("公众号")}

// captionBlocks end the walk from an image up to its own block.
var captionBlocks = map[string]bool{"p": true, "div": true, "li": true, "td": true, "dd": true, "figure": true, "center": true}

// readMedia reads a page's links and named images outside share widgets;
// nil for a page that names no platform (微博, 微信, 公众号, weibo, weixin).
func readMedia(doc *html.Node, body []byte, base *resolver) *Media {
	if !namesMedia(body) {
		return nil
	}
	m := &Media{}
	var images []*html.Node
	// share says an element sits in a share widget: one of its ancestors
	// from body down, itself included, is classed or named like one.
	var walk func(n *html.Node, inBody, share bool)
	walk = func(n *html.Node, inBody, share bool) {
		if n.Type == html.ElementNode {
			if unread[n.DataAtom] {
				return
			}
			switch {
			case n.DataAtom == atom.Body:
				inBody, share = true, shareMarked(n) // what is above body does not count
			case inBody:
				share = share || shareMarked(n)
			default:
				share = inShare(n) // outside body: up to the root
			}
			switch {
			case n.DataAtom == atom.A:
				if href, ok := Attr(n, "href"); ok && !share {
					if l, ok := mediaLink(n, href, base); ok {
						m.Links = append(m.Links, l)
					}
				}
			case n.DataAtom == atom.Img && !share:
				images = append(images, n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inBody, share)
		}
	}
	walk(doc, false, false)
	for _, img := range images {
		src, _ := Attr(img, "src")
		alt, _ := Attr(img, "alt")
		title, _ := Attr(img, "title")
		im := Image{URL: base.resolve(src), Src: src, Label: Clip(Plain(alt+title), 200), Caption: caption(img), Beside: beside(img)}
		if im.Label != "" || im.Caption != "" || len(im.Beside) > 0 {
			m.Images = append(m.Images, im)
		}
	}
	if len(m.Links) == 0 && len(m.Images) == 0 {
		return nil
	}
	return m
}

// unread are the elements whose content no reader sees.
var unread = map[atom.Atom]bool{atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true}

// mediaLink reads a link; false for a share button (分享到微信).
func mediaLink(a *html.Node, href string, base *resolver) (MediaLink, bool) {
	u := base.resolve(href)
	text := Plain(Collapse(seenText(a)))
	if t, ok := Attr(a, "title"); ok && text == "" {
		text = Plain(t)
	}
	if strings.Contains(text, "分享") || hasShareMarker(u) {
		return MediaLink{}, false
	}
	l := MediaLink{URL: u, Text: Clip(text, 200)}
	if u == "" {
		// Only a link that leads nowhere by itself is read for its image:
		// a parent's subtree may be the whole page.
		l.Image = hasImage(a) || a.Parent != nil && hasImage(a.Parent)
	}
	return l, true
}

// caption is the text of the nearest of the three elements around img
// that has text, when it is short enough to be a caption.
func caption(img *html.Node) string {
	for n, par := 0, img.Parent; n < 3 && par != nil && par.Type == html.ElementNode; n, par = n+1, par.Parent {
		if t := Plain(Collapse(seenText(par))); t != "" {
			if utf8.RuneCountInString(t) <= maxCaption {
				return t
			}
			return ""
		}
	}
	return ""
}

// beside returns the captions of the elements just before and just after
// the image's own block (up to three levels up, not past body), when that
// block has no text.
func beside(img *html.Node) []string {
	block := img
	for n := 0; n < 3; n++ {
		par := block.Parent
		if par == nil || par.Type != html.ElementNode || par.DataAtom == atom.Body {
			break
		}
		block = par
		if Plain(Collapse(seenText(block))) != "" {
			return nil // the image's own block carries the caption
		}
		if captionBlocks[block.Data] {
			break
		}
	}
	var out []string
	for _, sib := range []*html.Node{elementSibling(block, -1), elementSibling(block, 1)} {
		if sib == nil {
			continue
		}
		if t := Plain(Collapse(seenText(sib))); t != "" && utf8.RuneCountInString(t) <= maxCaption {
			out = append(out, t)
		}
	}
	return out
}

// elementSibling is the nearest element before (dir < 0) or after n that
// a reader sees, or nil.
func elementSibling(n *html.Node, dir int) *html.Node {
	for {
		if dir < 0 {
			n = n.PrevSibling
		} else {
			n = n.NextSibling
		}
		if n == nil || n.Type == html.ElementNode && !unread[n.DataAtom] {
			return n
		}
	}
}

// namesMedia reports whether a body names 微博, 微信 or 公众号 (weibo,
// weixin in any letter case).
func namesMedia(body []byte) bool {
	for _, n := range mediaNames {
		if bytes.Contains(body, n) {
			return true
		}
	}
	lower := bytes.ToLower(body)
	return bytes.Contains(lower, []byte("weibo")) || bytes.Contains(lower, []byte("weixin"))
}

// shareMarked reports whether an element is classed or named like a share
// widget.
func shareMarked(n *html.Node) bool {
	cls, _ := Attr(n, "class")
	id, _ := Attr(n, "id")
	return hasShareMarker(cls) || hasShareMarker(id)
}

// shareTokens are shareMarker's words, lower-case.
var shareTokens = []string{"share", "bds_", "jiathis", "fenxiang", "addthis"}

// hasShareMarker is shareMarker.MatchString, without the regexp for ASCII
// (every URL, class and id a page has is asked).
func hasShareMarker(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return shareMarker.MatchString(s) // case folding beyond ASCII (ſ)
		}
	}
	lower := strings.ToLower(s)
	for _, t := range shareTokens {
		if strings.Contains(lower, t) {
			return true
		}
	}
	return false
}

// inShare reports whether n sits in a share widget (up to body).
func inShare(n *html.Node) bool {
	for ; n != nil && n.Type == html.ElementNode; n = n.Parent {
		if shareMarked(n) {
			return true
		}
		if n.DataAtom == atom.Body {
			break
		}
	}
	return false
}

// hasImage reports whether an image a reader sees is under n.
func hasImage(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || unread[c.DataAtom] {
			continue
		}
		if c.DataAtom == atom.Img || hasImage(c) {
			return true
		}
	}
	return false
}

// seenText is the text under n a reader sees: no scripts, styles,
// noscript or template content.
func seenText(n *html.Node) string { return readerText(n, nil) }

// readerText is the text under n a reader sees, every element of spaced
// ending with a space.
func readerText(n *html.Node, spaced map[atom.Atom]bool) string { return textUnder(n, unread, spaced) }

// Plain is a link text, title or caption as matched: without white space,
// brackets, quotes and bullets.
func Plain(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(" \t\r\n\u3000\u00a0【】[]()（）《》〈〉〔〕「」『』<>\"“”'‘’·•●■□◆◇▪►▶»›>|", r) {
			return -1
		}
		return r
	}, s)
}
