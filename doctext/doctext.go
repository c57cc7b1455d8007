// Package doctext extracts the plain text of the office documents government
// sites attach to their pages (名单 as xlsx, xls or csv; notices as pdf or
// docx), so that rules about what a page publishes can read its attachments
// too. It is a leaf: it knows file formats, not sites or rules.
//
// Extraction is bounded: the input is whatever the caller fetched (capped by
// the caller), the text returned is at most MaxRunes, and a parser that fails
// or panics on a damaged file yields an error, never a crash.
package doctext

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
	"github.com/shakinm/xlsReader/xls"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// MaxRunes bounds the text returned for one document.
const MaxRunes = 1 << 20

// maxCells bounds the cells read from one workbook, and maxZipEntry the
// bytes read from one part of a docx (zip bombs).
const (
	maxCells    = 200000
	maxZipEntry = 16 << 20
)

// ErrUnsupported is returned for a type Extract does not read.
var ErrUnsupported = errors.New("doctext: unsupported document type")

// Types lists the document types Extract reads, by extension without the dot.
func Types() []string { return []string{"csv", "xlsx", "xls", "docx", "pdf"} }

// TypeOf returns the type of a file name or URL path by its extension
// ("xlsx"), or "" when Extract does not read it.
func TypeOf(name string) string {
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
	for _, t := range Types() {
		if t == ext {
			return t
		}
	}
	return ""
}

// Extract returns the text of data read as a document of type typ (one of
// Types). Rows of tables become lines with cells separated by tabs.
func Extract(typ string, data []byte) (text string, err error) {
	defer func() {
		// Third-party parsers of binary formats can panic on a damaged
		// file; a damaged attachment is a result, not a crash.
		if r := recover(); r != nil {
			text, err = "", fmt.Errorf("doctext: %s: damaged file (%v)", typ, r)
		}
	}()
	switch typ {
	case "csv":
		text, err = csvText(data)
	case "xlsx":
		text, err = xlsxText(data)
	case "xls":
		text, err = xlsText(data)
	case "docx":
		text, err = docxText(data)
	case "pdf":
		text, err = pdfText(data)
	default:
		return "", fmt.Errorf("%w: %q", ErrUnsupported, typ)
	}
	if err != nil {
		return "", fmt.Errorf("doctext: %s: %w", typ, err)
	}
	return clip(text), nil
}

// decodeText returns b as UTF-8: as it is when it is valid UTF-8 (a BOM
// removed), else decoded from GB18030, which Chinese spreadsheet programs
// write csv in.
func decodeText(b []byte) string {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if utf8.Valid(b) {
		return string(b)
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}

func csvText(data []byte) (string, error) {
	r := csv.NewReader(strings.NewReader(decodeText(data)))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var b strings.Builder
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		b.WriteString(strings.Join(rec, "\t"))
		b.WriteByte('\n')
		if b.Len() > 4*MaxRunes {
			break
		}
	}
	return b.String(), nil
}

func xlsxText(data []byte) (string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b strings.Builder
	cells := 0
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			return "", err
		}
		for rows.Next() && cells < maxCells {
			cols, err := rows.Columns()
			if err != nil {
				rows.Close()
				return "", err
			}
			cells += len(cols)
			b.WriteString(strings.Join(cols, "\t"))
			b.WriteByte('\n')
		}
		rows.Close()
	}
	return b.String(), nil
}

func xlsText(data []byte) (string, error) {
	wb, err := xls.OpenReader(bytes.NewReader(data))
	if err != nil {
		return "", err
	}
	var b strings.Builder
	cells := 0
	for i := 0; i < wb.GetNumberSheets() && cells < maxCells; i++ {
		sh, err := wb.GetSheet(i)
		if err != nil {
			return "", err
		}
		for _, row := range sh.GetRows() {
			var vals []string
			for _, c := range row.GetCols() {
				vals = append(vals, c.GetString())
			}
			cells += len(vals)
			b.WriteString(strings.Join(vals, "\t"))
			b.WriteByte('\n')
			if cells >= maxCells {
				break
			}
		}
	}
	return b.String(), nil
}

// docxText reads word/document.xml: paragraphs become lines, table cells
// are separated by tabs.
func docxText(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", err
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return "", err
		}
		defer rc.Close()
		return wordXMLText(io.LimitReader(rc, maxZipEntry))
	}
	return "", errors.New("no word/document.xml")
}

func wordXMLText(r io.Reader) (string, error) {
	dec := xml.NewDecoder(r)
	var b strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return b.String(), nil
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				b.WriteByte('\t')
			case "br":
				b.WriteByte('\n')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				b.WriteByte('\n')
			case "tc":
				b.WriteByte('\t')
			}
		case xml.CharData:
			if inText {
				b.Write(t)
			}
		}
	}
}

func pdfText(data []byte) (string, error) {
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fonts := map[string]*pdf.Font{}
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		for _, name := range p.Fonts() {
			if _, ok := fonts[name]; !ok {
				f := p.Font(name)
				fonts[name] = &f
			}
		}
		t, err := p.GetPlainText(fonts)
		if err != nil {
			return "", err
		}
		b.WriteString(t)
		b.WriteByte('\n')
		if b.Len() > 4*MaxRunes {
			break
		}
	}
	return b.String(), nil
}

// clip cuts s to MaxRunes runes.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= MaxRunes {
		return s
	}
	r := []rune(s)
	return string(r[:MaxRunes])
}
