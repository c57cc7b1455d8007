package notice

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"time"
)

//go:embed notice.html.tmpl
var templates embed.FS

// page is parsed once per Render call: no package state.
func page() (*template.Template, error) {
	return template.New("notice.html.tmpl").Funcs(template.FuncMap{
		"date": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
		},
		"isodate": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.Format(time.DateOnly)
		},
		"short": func(s string, n int) string {
			if len(s) > n {
				return s[:n]
			}
			return s
		},
		"cn": cnNumber,
	}).ParseFS(templates, "notice.html.tmpl")
}

// Render writes the notice as an HTML document for A4 print.
func Render(w io.Writer, d Doc) error {
	t, err := page()
	if err != nil {
		return fmt.Errorf("notice: template: %w", err)
	}
	if err := t.Execute(w, d); err != nil {
		return fmt.Errorf("notice: render %s: %w", d.UnitID, err)
	}
	return nil
}

// cnNumber writes 1..99 in Chinese numerals (一, 十二), as section headings use.
func cnNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n > 99:
		return fmt.Sprint(n)
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	}
	return digits[n/10] + "十" + digits[n%10]
}
