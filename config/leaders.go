package config

// leaders checks the leaders list (content.serious_error): every entry needs
// a name and a title.
func (v *validator) leaders() {
	p := path{"leaders"}
	for i, l := range v.c.Leaders {
		if compactSpace(l.Name) == "" {
			v.errorf(p.index(i).key("name"), "不能为空：请填写领导姓名，或删去这一项")
		}
		if compactSpace(l.Title) == "" {
			v.errorf(p.index(i).key("title"), "不能为空：请填写领导职务（如 省委书记），或删去这一项")
		}
	}
}

// compactSpace is s without white space.
func compactSpace(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' && r != '\u3000' {
			out = append(out, r)
		}
	}
	return string(out)
}
