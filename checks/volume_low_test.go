package checks

import (
	"path/filepath"
	"strings"
	"testing"

	"gkaudit/config"
	"gkaudit/site"
)

// Ensure that DisclosedItems counts the distinct items dated in the
// assessment year over the unit's columns: an item listed twice counts once,
// a nav link to a column is not an item, an undated item counts by the
// 发布日期 of its page.
func TestDisclosedItems_Fixtures(t *testing.T) {
	notice := loadPage(t, filepath.Join("testdata", "volume.low", "items_ul_mixed_years.html"), "http://gov.example/xxgk/tzgg/index.html")
	policy := loadPage(t, filepath.Join("testdata", "volume.low", "items_table_gbk.html"), "http://gov.example/xxgk/zcwj/index.html")
	undated := htmlPage("http://gov.example/xxgk/zcwj/201905/t20190505_19.html",
		`<html><body><h1>北仑区示范局2019年度普法工作要点的通知</h1><p>发布日期：2019-05-05</p></body></html>`)
	entry := htmlPage(testEntry, `<html><body><a href="/xxgk/tzgg/index.html">通知公告</a><a href="/xxgk/zcwj/index.html">政策文件</a></body></html>`)
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entry, withLinks(notice), withLinks(policy), undated},
		Columns: []site.Column{{Kind: "notice", Name: "通知公告", URL: notice.URL}, {Kind: "policy", Name: "政策文件", URL: policy.URL}}}
	env := testEnv() // as of 2020-03-01, no config: the assessment year is 2019
	if got, unread := DisclosedItems(s, env); got != 4 || unread != "" {
		t.Errorf("DisclosedItems(2019) = %d, %q; want 4, every list read whole", got, unread)
	}
	env.Config = &config.Config{Year: 2018}
	if got, _ := DisclosedItems(s, env); got != 2 {
		t.Errorf("DisclosedItems(2018) = %d, want 2", got)
	}
	if got, _ := DisclosedItems(&site.Snapshot{Entry: testEntry, Pages: []*site.Page{{URL: testEntry, Status: 500}}}, env); got != 0 {
		t.Errorf("DisclosedItems(unreachable) = %d, want 0", got)
	}
}

func TestVolumeLow(t *testing.T) {
	dept := func(id string, n int) UnitCount {
		return UnitCount{Unit: config.Unit{ID: id, Kind: config.KindDepartment, URL: "http://" + id + ".example/"}, Items: n, Reachable: true}
	}
	street := func(id string, n int) UnitCount {
		c := dept(id, n)
		c.Unit.Kind = config.KindStreet
		return c
	}
	down := func(c UnitCount) UnitCount { c.Reachable = false; c.Items = 0; return c }
	unread := func(c UnitCount) UnitCount {
		c.Unread = "栏目“工作动态”栏目列表共 9 页，仅读取到 3 页"
		return c
	}
	tests := []struct {
		name   string
		counts []UnitCount
		ratio  float64
		want   map[string]Status
	}{
		{"one low department", []UnitCount{dept("a", 30), dept("b", 28), dept("c", 32), dept("d", 5)}, 0,
			map[string]Status{"a": Pass, "b": Pass, "c": Pass, "d": Fail}},
		{"exactly half passes", []UnitCount{dept("a", 10), dept("b", 10), dept("c", 4)}, 0, // average 8, limit 4
			map[string]Status{"a": Pass, "b": Pass, "c": Pass}},
		{"kinds averaged apart", []UnitCount{dept("a", 40), dept("b", 40), dept("c", 40), street("x", 10), street("y", 12), street("z", 11)}, 0,
			map[string]Status{"a": Pass, "b": Pass, "c": Pass, "x": Pass, "y": Pass, "z": Pass}},
		{"unreachable unit left out of the average", []UnitCount{dept("a", 20), dept("b", 20), dept("c", 20), down(dept("d", 0))}, 0,
			map[string]Status{"a": Pass, "b": Pass, "c": Pass, "d": NA}},
		{"too few of a kind", []UnitCount{dept("a", 20), dept("b", 1), street("x", 9)}, 0,
			map[string]Status{"a": NA, "b": NA, "x": NA}},
		{"all zero", []UnitCount{dept("a", 0), dept("b", 0), dept("c", 0)}, 0,
			map[string]Status{"a": NA, "b": NA, "c": NA}},
		{"low but a list not read whole is na, high with one still passes", []UnitCount{dept("a", 30), unread(dept("b", 28)), dept("c", 32), unread(dept("d", 5))}, 0,
			map[string]Status{"a": Pass, "b": Pass, "c": Pass, "d": NA}},
		{"stricter ratio from config", []UnitCount{dept("a", 30), dept("b", 30), dept("c", 18)}, 0.8, // average 26, limit 20.8
			map[string]Status{"a": Pass, "b": Pass, "c": Fail}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &config.Config{Year: 2019, Thresholds: config.Thresholds{VolumeLowRatio: tt.ratio}}
			fs := VolumeLow(tt.counts, Env{Config: cfg})
			if len(fs) != len(tt.counts) {
				t.Fatalf("VolumeLow = %d findings, want one per unit: %+v", len(fs), fs)
			}
			for _, f := range fs {
				if f.Status != tt.want[f.Unit] {
					t.Errorf("VolumeLow[%s] = %v (%s), want %v", f.Unit, f.Status, f.Detail, tt.want[f.Unit])
				}
				if f.Check != "volume.low" || f.Rule == "" || f.Subject == "" || f.Detail == "" || f.Evidence.URL == "" {
					t.Errorf("VolumeLow[%s] = %+v, want check, rule, subject, detail and evidence set", f.Unit, f)
				}
				if f.Status == Fail && !(strings.Contains(f.Detail, "2019年") && strings.Contains(f.Detail, "平均")) {
					t.Errorf("VolumeLow[%s] detail = %q, want the year, the count and the average", f.Unit, f.Detail)
				}
			}
		})
	}
	if fs := VolumeLow(nil, Env{}); len(fs) != 0 {
		t.Errorf("VolumeLow(nil) = %+v, want nothing", fs)
	}
}

// Ensure that volume.low is registered, and reports nothing per snapshot:
// the audit runner judges it across units.
func TestVolumeLow_Registered(t *testing.T) {
	c, ok := Lookup("volume.low")
	if !ok || c.Rule == "" {
		t.Fatalf("Lookup(volume.low) = %+v, %v; want the registered check", c, ok)
	}
	s := &site.Snapshot{UnitID: "u1", Entry: testEntry, Pages: []*site.Page{entryPage(testEntry)}}
	for _, f := range Run(s, testEnv()) {
		if f.Check == "volume.low" {
			t.Errorf("Run reported %+v for volume.low, want nothing per snapshot", f)
		}
	}
}

// Ensure that DisclosedItems says when a list of the unit was not read
// whole (a Hanweb list whose records only dataproxy.jsp serves), so that
// volume.low does not fail the short count.
func TestDisclosedItems_UnreadList(t *testing.T) {
	u := "http://gov.example/xxgk/ysjgk/index.html"
	p := withLinks(loadPage(t, filepath.Join("testdata", "column.empty", "na_hanweb_proxy_only.html"), u))
	if _, unread := DisclosedItems(columnSnapshot("keyarea.budget", "预决算公开", u, p), testEnv()); !strings.Contains(unread, "无法读取全部条目") {
		t.Errorf("DisclosedItems(hanweb proxy-only list) unread = %q, want the reason the list was not read whole", unread)
	}
}
