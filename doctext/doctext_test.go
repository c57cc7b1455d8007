package doctext

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const roster = "序号,姓名,身份证号码,联系电话\n1,王建国,330206199001011234,13812345678\n"

func TestExtract_CSV(t *testing.T) {
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(roster))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"utf-8":     []byte(roster),
		"utf-8 bom": append([]byte("\xef\xbb\xbf"), roster...),
		"gbk":       gbk,
	} {
		got, err := Extract("csv", data)
		if err != nil || !strings.Contains(got, "王建国\t330206199001011234\t13812345678") {
			t.Errorf("Extract(csv %s) = %q, %v; want the row with tab-separated cells", name, got, err)
		}
	}
}

func TestExtract_XLSX(t *testing.T) {
	f := excelize.NewFile()
	for i, row := range [][]any{{"序号", "姓名", "身份证号码"}, {1, "李海波", "330206198512120018"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := Extract("xlsx", buf.Bytes())
	if err != nil || !strings.Contains(got, "李海波\t330206198512120018") {
		t.Errorf("Extract(xlsx) = %q, %v; want the row", got, err)
	}
}

func TestExtract_DOCX(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`+
		`<w:p><w:r><w:t>拟录用人员名单</w:t></w:r></w:p>`+
		`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>张伟</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>139</w:t></w:r><w:r><w:t>12345678</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`+
		`</w:body></w:document>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := Extract("docx", buf.Bytes())
	if err != nil || !strings.Contains(got, "拟录用人员名单") || !strings.Contains(got, "13912345678") {
		t.Errorf("Extract(docx) = %q, %v; want the title and the number joined across runs", got, err)
	}
}

// minimalPDF builds a one-page PDF showing text in Helvetica, with a correct
// cross-reference table.
func minimalPDF(text string) []byte {
	stream := fmt.Sprintf("BT /F1 12 Tf 72 720 Td (%s) Tj ET", text)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func TestExtract_PDF(t *testing.T) {
	got, err := Extract("pdf", minimalPDF("ID 330206199001011234 Tel 13812345678"))
	if err != nil || !strings.Contains(strings.ReplaceAll(got, " ", ""), "330206199001011234") {
		t.Errorf("Extract(pdf) = %q, %v; want the number", got, err)
	}
}

// Ensure that damaged files and unknown types are errors, not panics.
func TestExtract_Damaged(t *testing.T) {
	ole := append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 512)...)
	for _, c := range []struct {
		typ  string
		data []byte
	}{
		{"xls", ole}, {"xls", []byte("not a workbook")}, {"xlsx", []byte("PK\x03\x04 broken")},
		{"docx", []byte("PK")}, {"pdf", []byte("%PDF-1.4\n garbage")}, {"pdf", nil},
	} {
		if got, err := Extract(c.typ, c.data); err == nil {
			t.Errorf("Extract(%s, damaged) = %q, nil; want an error", c.typ, got)
		}
	}
	if _, err := Extract("pptx", nil); err == nil {
		t.Error("Extract(pptx) = nil error, want ErrUnsupported")
	}
}

func TestTypeOf(t *testing.T) {
	for name, want := range map[string]string{"/a/名单.XLSX": "xlsx", "b.csv": "csv", "c.doc": "", "d": "", "e.pdf": "pdf"} {
		if got := TypeOf(name); got != want {
			t.Errorf("TypeOf(%q) = %q, want %q", name, got, want)
		}
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("csv", []byte(roster))
	f.Add("pdf", minimalPDF("x"))
	f.Add("docx", []byte("PK\x03\x04"))
	f.Add("xls", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"))
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		_, _ = Extract(typ, data) // must not panic or hang
	})
}
