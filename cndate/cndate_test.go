package cndate

import (
	"testing"
	"time"
)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, Shanghai) }

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2019-03-05", day(2019, 3, 5), true},
		{"2019/3/5", day(2019, 3, 5), true},
		{"2019.03.05", day(2019, 3, 5), true},
		{"2019年3月5日", day(2019, 3, 5), true},
		{"2019年03月05日", day(2019, 3, 5), true},
		{"2024年04月06日 16:40", day(2024, 4, 6), true},
		{"2020-10-10 19:48:26", day(2020, 10, 10), true},
		{"二〇一九年三月五日", day(2019, 3, 5), true},
		{"二〇二〇年十二月三十一日", day(2020, 12, 31), true},
		{"二○一八年十月十日", day(2018, 10, 10), true},
		{"二零一九年十一月二十日", day(2019, 11, 20), true},
		{"２０１９－０３－０５", day(2019, 3, 5), true},
		{"２０１９年３月５日", day(2019, 3, 5), true},
		{" 2019 年 3 月 5 日 ", day(2019, 3, 5), true},
		{"2019-02-29", time.Time{}, false}, // not a leap year
		{"2020-02-29", day(2020, 2, 29), true},
		{"2019-13-01", time.Time{}, false},
		{"2019-03/05", time.Time{}, false},
		{"1900-01-01", time.Time{}, false},
		{"2019年 月 日", time.Time{}, false}, // unfilled template
		{"2012年  月  日", time.Time{}, false},
		{"发布日期：2019-03-05", time.Time{}, false}, // Parse wants the date alone
		{"2019-03-05 and more", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("Parse(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFind(t *testing.T) {
	tests := []struct {
		in   string
		want []time.Time
	}{
		{"发布日期：2019-03-05 成文日期：2019年3月1日", []time.Time{day(2019, 3, 5), day(2019, 3, 1)}},
		{"索引号：11330206MB1234567X/2019-01234", nil},
		{"t20190305_123456.html", nil},
		{"版本 1.2019.3.4", nil},
		{"[03-05] 关于做好春季防火工作的通知", nil},
		{"印发日期：二〇一九年三月五日，2019-03-06 起施行", []time.Time{day(2019, 3, 5), day(2019, 3, 6)}},
	}
	for _, tt := range tests {
		ds := Find(tt.in)
		if len(ds) != len(tt.want) {
			t.Errorf("Find(%q) = %v, want %v", tt.in, ds, tt.want)
			continue
		}
		for i := range ds {
			if !ds[i].Time.Equal(tt.want[i]) {
				t.Errorf("Find(%q)[%d] = %v, want %v", tt.in, i, ds[i].Time, tt.want[i])
			}
		}
	}
}

func TestAfterLabel(t *testing.T) {
	tests := []struct {
		in     string
		labels []string
		want   time.Time
		ok     bool
	}{
		{"发布日期：2019-03-05", []string{"发布日期"}, day(2019, 3, 5), true},
		{"发 布 日 期 ： 2019年3月5日", []string{"发布日期"}, day(2019, 3, 5), true},
		{"成文日期 2019/03/01 发布日期 2019/03/05", []string{"发布日期"}, day(2019, 3, 5), true},
		{"成文日期：生成日期：2019-03-01", []string{"成文日期", "生成日期"}, day(2019, 3, 1), true},
		{"发布日期：　　发布机构：区财政局 2019-03-05", []string{"发布日期"}, time.Time{}, false}, // empty value
		{"【发布时间】2020-10-10 19:48:26", []string{"发布时间"}, day(2020, 10, 10), true},
		{"发布日期：２０１９－０３－０５", []string{"发布日期"}, day(2019, 3, 5), true},
		{"没有标签 2019-03-05", []string{"发布日期"}, time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := AfterLabel(tt.in, tt.labels...)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("AfterLabel(%q, %q) = %v, %v; want %v, %v", tt.in, tt.labels, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"2019-03-05", "二〇一九年三月五日", "２０１９－０３－０５", "发布日期：2019年3月5日 16:40", "十十十年十十月十十十日", "\xff\xfe年月日"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, d := range Find(s) {
			if d.Time.Year() < 1949 || d.Time.Year() > 2100 {
				t.Errorf("Find(%q) returned out-of-range %v", s, d.Time)
			}
		}
		Parse(s)
		AfterLabel(s, "发布日期", "成文日期")
	})
}
