package evidence

import (
	"strings"
	"testing"

	"gkaudit/site"
)

// Ensure that a POST's request record carries the form it sent after the
// header (a Hanweb dataproxy request), and a GET's none.
func TestRequestMessage_PostBody(t *testing.T) {
	post := site.Exchange{Request: site.Request{Method: "POST", URL: "http://www.example.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46",
		Header: site.Header{"Host": {"www.example.gov.cn"}, "Content-Length": {"19"}}, Body: "col=1&columnid=1229"}}
	got := string(requestMessage(post))
	if !strings.HasPrefix(got, "POST /module/web/jpage/dataproxy.jsp?startrecord=46 ") || !strings.HasSuffix(got, "\r\n\r\ncol=1&columnid=1229") {
		t.Errorf("requestMessage(POST) = %q, want the request line, header, blank line and the form", got)
	}
	get := site.Exchange{Request: site.Request{Method: "GET", URL: "http://www.example.gov.cn/", Header: site.Header{"Host": {"www.example.gov.cn"}}}}
	if got := string(requestMessage(get)); !strings.HasSuffix(got, "\r\n\r\n") {
		t.Errorf("requestMessage(GET) = %q, want it to end at the blank line", got)
	}
}
