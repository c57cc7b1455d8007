package checks

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gkaudit/site"
)

// Ensure that RunOnly gives, for the checks it is asked for, exactly the
// findings Run gives for them, in Run's order, and nothing of the others.
func TestRunOnly_SubsetOfRun(t *testing.T) {
	entry := "http://u1.example/xxgk/"
	org := loadPage(t, fixtures(t, "org.info")[0].path, "http://u1.example/xxgk/jgxx/")
	s := &site.Snapshot{UnitID: "u1", Entry: entry,
		Pages:   []*site.Page{entryPage(entry, site.Link{URL: org.URL, Text: "机构概况"}), org},
		Columns: []site.Column{{Kind: "org_info", Name: "机构概况", URL: org.URL, Source: "link", From: entry}}}
	env := testEnv()
	ids := []string{"site.reachable", "org.info", "keyarea", "no.such.check"}
	var want []Finding
	for _, f := range Run(s, env) {
		if c, ok := Lookup(f.Check); ok && slices.Contains(ids, c.ID) {
			want = append(want, f)
		}
	}
	got := RunOnly(s, env, ids)
	if len(want) == 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("RunOnly(%v) = %d findings:\n%+v\nwant Run's %d for them:\n%+v", ids, len(got), got, len(want), want)
	}
	if fs := RunOnly(s, env, nil); len(fs) != 0 {
		t.Errorf("RunOnly(nil) = %+v, want none", fs)
	}
}

// Ensure that every check whose code can reach Env.AsOf (read directly,
// or through a function that reads it) declares itself dated, and that
// the ones reaching it only through the assessment year (assessYear) say
// at least DatedByYear: a re-run reuses an undated check's findings at
// another date. The reach is computed over this package's source: calls to
// its functions, and to any of its methods of the called name (more than
// Go would call, never less).
func TestRegistry_DatedChecksReadTheDate(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]map[string]bool{} // function or method name -> names it calls
	readsAsOf := map[string]bool{}
	for _, f := range pkgs["checks"].Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			name := fd.Name.Name
			if calls[name] == nil {
				calls[name] = map[string]bool{}
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.SelectorExpr:
					if x.Sel.Name == "AsOf" {
						readsAsOf[name] = true
					}
				case *ast.CallExpr:
					switch fn := x.Fun.(type) {
					case *ast.Ident:
						calls[name][fn.Name] = true
					case *ast.SelectorExpr:
						calls[name][fn.Sel.Name] = true
					}
				case *ast.Ident:
					calls[name][x.Name] = true // a function passed as a value
				}
				return true
			})
		}
	}
	// reaches reports whether name can reach a function target accepts,
	// not counting paths through skip.
	reaches := func(name string, target func(string) bool, skip string) bool {
		seen := map[string]bool{}
		var walk func(string) bool
		walk = func(n string) bool {
			if seen[n] || n == skip {
				return false
			}
			seen[n] = true
			if target(n) {
				return true
			}
			for c := range calls[n] {
				if walk(c) {
					return true
				}
			}
			return false
		}
		return walk(name)
	}
	for _, c := range All() {
		if c.Run == nil {
			continue // a district check: audit reads the year for its counts (sameYear)
		}
		fn := runtime.FuncForPC(reflect.ValueOf(c.Run).Pointer()).Name()
		name := fn[strings.LastIndex(fn, ".")+1:]
		if _, ok := calls[name]; !ok {
			t.Fatalf("%s: no function %s in the source", c.ID, name)
		}
		byDay := reaches(name, func(n string) bool { return readsAsOf[n] && n != "assessYear" }, "assessYear")
		byYear := reaches(name, func(n string) bool { return n == "assessYear" }, "")
		switch {
		case byDay && c.Dated != DatedByDay:
			t.Errorf("%s (%s) can read Env.AsOf but is declared Dated %d, want DatedByDay", c.ID, name, c.Dated)
		case !byDay && byYear && c.Dated == Undated:
			t.Errorf("%s (%s) reads the assessment year but is declared Undated, want DatedByYear", c.ID, name)
		case !byDay && !byYear && c.Dated != Undated:
			t.Errorf("%s (%s) never reads Env.AsOf but is declared dated", c.ID, name)
		}
	}
}
