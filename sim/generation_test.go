package sim

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// startAt starts a district of generation gen on any free ports.
func startGen(t *testing.T, gen int) *District {
	t.Helper()
	d, err := New(Options{Generation: gen})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// Ensure that generation 2 fixes some seeded defects and introduces new
// ones, as the truth shows, and that generation 3 fixes the deleted pages.
func TestGeneration_Truth(t *testing.T) {
	truth := func(d *District) map[string]Truth {
		out := map[string]Truth{}
		for _, tr := range d.Truth() {
			for i, s := range tr.Subjects {
				tr.Subjects[i] = pathOf(s)
			}
			out[tr.Unit+" "+tr.Check] = tr
		}
		return out
	}
	g1, g2, g3 := truth(startGen(t, 1)), truth(startGen(t, 2)), truth(startGen(t, 3))
	changes := func(a, b map[string]Truth) (fixed, failing []string) {
		for k, tb := range b {
			ta := a[k]
			switch {
			case ta.Status == Fail && tb.Status == Pass:
				fixed = append(fixed, k)
			case ta.Status == Pass && tb.Status == Fail:
				failing = append(failing, k)
			}
		}
		return fixed, failing
	}
	fixed, failing := changes(g1, g2)
	for _, check := range []string{"column.stale", "guide.elements", "policy.validity"} {
		if !containsCheck(fixed, check) {
			t.Errorf("generation 2 fixes no %s defect; fixed: %v", check, fixed)
		}
	}
	for _, check := range []string{"link.broken", "org.info"} {
		if !containsCheck(failing, check) {
			t.Errorf("generation 2 brings no new %s failure; new: %v", check, failing)
		}
	}
	fixed3, _ := changes(g2, g3)
	if !containsCheck(fixed3, "link.broken") {
		t.Errorf("generation 3 fixes no link.broken; fixed: %v", fixed3)
	}
	if _, err := New(Options{Generation: Generations + 1}); err == nil {
		t.Errorf("New(Generation: %d) succeeded", Generations+1)
	}
}

func containsCheck(keys []string, check string) bool {
	for _, k := range keys {
		if strings.HasSuffix(k, " "+check) {
			return true
		}
	}
	return false
}

// Ensure that the pages a generation does not touch are rendered byte for
// byte as before, and that it does touch some.
func TestGeneration_UnchangedPagesSameBytes(t *testing.T) {
	render := func(gen int) map[string]string {
		d, err := New(Options{Generation: gen})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, h := range d.hosts {
			for p, rt := range h.routes {
				if rt.html() {
					body, _ := d.renderRoute(h, rt, fakeRequest(p))
					out[h.name+p] = body + d.lastModified(rt).String()
				}
			}
		}
		return out
	}
	a, b := render(1), render(2)
	same, changed := 0, 0
	for k, body := range b {
		if old, ok := a[k]; ok && old == body {
			same++
		} else {
			changed++
		}
	}
	if changed == 0 || same < 9*len(b)/10 {
		t.Errorf("generation 2: %d pages the same as in generation 1, %d changed or new; want a few changed and the rest the same", same, changed)
	}
}

// Ensure that a fixed portal port gives every host a fixed port after it,
// and that a busy port is reported.
func TestStart_FixedPorts(t *testing.T) {
	base := freeRange(t, 20)
	d, err := New(Options{Listen: net.JoinHostPort("127.0.0.1", strconv.Itoa(base))})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	seen := map[int]bool{}
	for _, u := range d.Units() {
		pu, err := url.Parse(u.URL)
		if err != nil {
			t.Fatal(err)
		}
		port, _ := strconv.Atoi(pu.Port())
		if port < base || port > base+len(d.hosts)+1 {
			t.Errorf("%s at %s: port outside %d..%d", u.ID, u.URL, base, base+len(d.hosts)+1)
		}
		seen[port] = true
	}
	if !seen[base] {
		t.Errorf("no unit on the portal port %d", base)
	}
	again, err := New(Options{Listen: net.JoinHostPort("127.0.0.1", strconv.Itoa(base))})
	if err != nil {
		t.Fatal(err)
	}
	if err := again.Start(); err == nil || !strings.Contains(err.Error(), fmt.Sprint(base)) {
		again.Close()
		t.Errorf("second district on port %d: Start() = %v, want an error naming the port", base, err)
	}
}

// freeRange returns a port P such that P .. P+n-1 were free a moment ago.
func freeRange(t *testing.T, n int) int {
	t.Helper()
	// Below Linux's ephemeral range (32768-60999), so that no outgoing
	// connection takes one of the ports between the check and the listen.
	for range 50 {
		base := 20000 + rand.IntN(12000)
		if base+n > 65535 {
			continue
		}
		ok := true
		var open []net.Listener
		for p := base; p < base+n && ok; p++ {
			l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
			if err != nil {
				ok = false
				break
			}
			open = append(open, l)
		}
		for _, l := range open {
			l.Close()
		}
		if ok {
			return base
		}
	}
	t.Fatal("no free range of ports")
	return 0
}
