package platform

import "regexp"

var (
	// scriptRe matches an inline script's text.
	scriptRe = regexp.MustCompile(`(?is)<script(?:\s[^>]*)?>(.*?)</script>`)
	// ajaxCallRe matches a call that loads content from a URL after the page
	// has loaded: jQuery $.ajax/$.get/$.post/$.getJSON/.load("url"),
	// fetch("url"), XMLHttpRequest's open, axios; group 1 is what follows it.
	ajaxCallRe = regexp.MustCompile(`(?is)(?:\$\.(?:ajax|get|post|getjson)\s*\(|\.load\s*\(|\bfetch\s*\(|\.open\s*\(\s*['"](?:get|post)['"]\s*,|\baxios(?:\.(?:get|post))?\s*\()(.{0,200})`)
	// ajaxURLRe finds the URL of a call: its first string argument or its
	// url option.
	ajaxURLRe = regexp.MustCompile(`(?is)^\s*(?:\{[^}]*?\burl\s*:\s*)?['"]([^'"]{1,200})['"]`)
	// chromeAjaxRe matches the URLs of scripts that load no list: visit
	// counters, statistics, captchas, weather and search suggestions.
	chromeAjaxRe = regexp.MustCompile(`(?i)count|visit|hits?\b|stat|captcha|weather|suggest|login|/log`)
	// writtenEntryRe matches a document.write that writes a list entry or
	// link (TRS templates write each title through a truncating script).
	writtenEntryRe = regexp.MustCompile(`(?is)document\.write(?:ln)?\s*\(\s*["'][^"']*<(?:li|a|tr|dd)[\s>]`)
	// noArgRe matches a call whose argument is a function or nothing.
	noArgRe = regexp.MustCompile(`^\s*(?:function\b|\)|\(\s*\)\s*=>)`)
)

// ScriptLoaded reports whether the page has an inline script that loads
// content by an ajax request the crawler does not understand (a Hanweb
// datastore and a TRS createPageHTML pager are understood), other than a
// visit counter or the like, or that writes list entries with
// document.write. A column page that lists nothing but has one may
// list its entries through it.
func ScriptLoaded(body []byte) bool {
	for _, s := range scriptRe.FindAllSubmatch(body, -1) {
		if writtenEntryRe.Match(s[1]) {
			return true // entries written by document.write, which the crawler does not run
		}
		for _, m := range ajaxCallRe.FindAllSubmatch(s[1], -1) {
			if noArgRe.Match(m[1]) {
				continue // $(window).load(function () {…}): an event, not a request
			}
			u := ajaxURLRe.FindSubmatch(m[1])
			if u == nil || !chromeAjaxRe.Match(u[1]) {
				return true
			}
		}
	}
	return false
}
