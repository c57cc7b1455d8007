package platform

import "regexp"

// ajaxLoadRe matches an inline script that loads content from a URL after the
// page has loaded: jQuery $.ajax/$.get/$.post/$.getJSON/.load("url"), fetch("url"),
// XMLHttpRequest, axios. A list built that way is not in the page.
var ajaxLoadRe = regexp.MustCompile(`(?is)<script(?:\s[^>]*)?>(?:[^<]|<[^/])*?(?:\$\.(?:ajax|get|post|getjson)\s*\(|\.load\s*\(\s*['"]|\bfetch\s*\(\s*['"]|new\s+XMLHttpRequest|\baxios\.(?:get|post)\s*\()`)

// ScriptLoaded reports whether the page has an inline script that loads
// content by an ajax request the crawler does not understand (a Hanweb
// datastore and a TRS createPageHTML pager are understood). A column page
// that lists nothing but has one may list its entries through it.
func ScriptLoaded(body []byte) bool {
	return ajaxLoadRe.Match(body)
}
