// Package platform reads the list pages of the CMS platforms most district
// sites run on, where a column's entries beyond the first page are not plain
// links: Hanweb JCMS (大汉, jpage: a script datastore plus a dataproxy.jsp
// POST for later records) and TRS WCM (pagination written by
// createPageHTML). The crawler uses it to fetch whole columns; the checks use
// it to find those fetched pages again and to tell a list they could not read
// whole, which they then leave as na instead of judging.
//
// Everything here is a parser over untrusted page text: it never fails, it
// returns ok=false for what it does not recognise.
package platform
