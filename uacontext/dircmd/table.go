package dircmd

import (
	"strconv"
	"strings"
	"time"

	"github.com/uaformat/uaformat/formatter"
)

// A result set as the Director's catalog layer hands it to its list
// renderer (ListResult): named columns, some numeric, and rows of
// nullable strings. Column names are lower case, as PostgreSQL reports
// unquoted identifiers.
type column struct {
	name    string
	numeric bool // an integer column: right-aligned, thousands commas
}

type cell struct {
	s    string
	null bool
}

type resultSet struct {
	cols []column
	rows [][]cell
}

func textCol(name string) column { return column{name: name} }
func numCol(name string) column  { return column{name: name, numeric: true} }

func str(s string) cell      { return cell{s: s} }
func nullable(s string) cell { return cell{s: s, null: s == ""} }
func num(v uint64) cell      { return cell{s: strconv.FormatUint(v, 10)} }
func inum(v int64) cell      { return cell{s: strconv.FormatInt(v, 10)} }
func char(c byte) cell {
	if c == 0 {
		return cell{null: true}
	}
	return cell{s: string([]byte{c})}
}
func boolNum(b bool) cell {
	if b {
		return cell{s: "1"}
	}
	return cell{s: "0"}
}

// timestamp renders a time as PostgreSQL prints "timestamp without time
// zone"; the zero time is NULL.
func timestamp(t time.Time) cell {
	if t.IsZero() {
		return cell{null: true}
	}
	return cell{s: t.Format("2006-01-02 15:04:05")}
}

// interval renders a duration as PostgreSQL prints an interval of whole
// seconds: "HH:MM:SS", "1 day HH:MM:SS" or "N days HH:MM:SS".
func interval(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	secs := int64(d / time.Second)
	days := secs / 86400
	secs %= 86400
	hms := pad2(secs/3600) + ":" + pad2(secs/60%60) + ":" + pad2(secs%60)
	var b strings.Builder
	if days > 0 {
		if neg {
			b.WriteByte('-')
		}
		b.WriteString(strconv.FormatInt(days, 10))
		if days == 1 {
			b.WriteString(" day ")
		} else {
			b.WriteString(" days ")
		}
		if neg {
			b.WriteByte('-')
		}
	} else if neg {
		b.WriteByte('-')
	}
	b.WriteString(hms)
	return b.String()
}

func pad2(v int64) string {
	if v < 10 {
		return "0" + strconv.FormatInt(v, 10)
	}
	return strconv.FormatInt(v, 10)
}

// rowStrings returns the row as the filter callback sees it (NULL as "").
func rowStrings(row []cell) []string {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = c.s
	}
	return out
}

func (c cell) value() string {
	if c.null {
		return formatter.Null
	}
	return c.s
}

// cstrlen counts "characters" the way the Director does when it sizes
// table columns. It is not a correct UTF-8 decoder and must not be one:
// lead bytes E0-EF are taken as two-byte sequences and D0-DF as three-byte
// ones, exactly like the reference.
func cstrlen(s string) int {
	n := 0
	for i := 0; i < len(s); {
		b := s[i]
		switch {
		case b&0xC0 != 0xC0:
			i++
			n++
		case b&0xD0 == 0xC0:
			i += 2
			n++
		case b&0xF0 == 0xD0:
			i += 3
			n++
		case b&0xF8 == 0xF0:
			i += 4
			n++
		case b&0xFC == 0xF8:
			i += 5
			n++
		case b&0xFE == 0xFC:
			i += 6
			n++
		default:
			i++
		}
	}
	return n
}

// addCommas inserts a comma every three digits from the right.
func addCommas(s string) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	first := len(s) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(s[:first])
	for i := first; i < len(s); i += 3 {
		b.WriteByte(',')
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// padRight and padLeft pad to a width in bytes, like C printf.
func padRight(s string, w int) string {
	if len(s) >= w {
		return s
	}
	return s + strings.Repeat(" ", w-len(s))
}

func padLeft(s string, w int) string {
	if len(s) >= w {
		return s
	}
	return strings.Repeat(" ", w-len(s)) + s
}

// clampWidth is the Director's MaxLength: widths above 100 are cut to 100.
func clampWidth(w int) int {
	switch {
	case w < 0:
		return 2
	case w > 100:
		return 100
	}
	return w
}

// listMode selects the table layout.
type listMode int

const (
	horzList listMode = iota // "list": a bordered table
	vertList                 // "llist": one "key: value" line per column
	rawList                  // log texts: each value after a blank, nothing else
)

// render emits a result set exactly like the Director's ListResult:
// Decoration for borders and headers, one nameless object per row with
// pre-rendered value formats (the formatter prints them in the text
// modes and stores the raw values in JSON), rows dropped by the
// formatter's filters, columns hidden by the formatter left out. gui
// suppresses the thousands commas. It reports the number of rows of the
// result set (before filtering).
func render(f *formatter.Formatter, rs *resultSet, mode listMode, gui bool) int {
	if len(rs.rows) == 0 {
		f.Decoration("No results to list.\n")
		return 0
	}
	filters := f.HasFilters()
	hidden := func(i int) bool { return f.IsHiddenColumn(i) }
	switch mode {
	case rawList:
		for _, row := range rs.rows {
			if filters && !f.FilterRow(rowStrings(row)) {
				continue
			}
			f.ObjectStart(formatter.Null, formatter.Null)
			for i, c := range rs.cols {
				if hidden(i) {
					continue
				}
				v := row[i].s
				if row[i].null {
					v = "NULL"
				}
				f.KVString(c.name, formatter.Null, v, " %s")
			}
			f.ObjectEnd(formatter.Null, formatter.Null)
		}
	case horzList:
		widths := horzWidths(rs)
		dashes := dashLine(widths, hidden)
		f.Decoration(dashes)
		f.Decoration("|")
		for i, c := range rs.cols {
			if hidden(i) {
				continue
			}
			f.Decoration(" %-"+strconv.Itoa(clampWidth(widths[i]))+"s |", c.name)
		}
		f.Decoration("\n")
		f.Decoration(dashes)
		for _, row := range rs.rows {
			if filters && !f.FilterRow(rowStrings(row)) {
				continue
			}
			f.ObjectStart(formatter.Null, formatter.Null)
			f.Decoration("|")
			for i, c := range rs.cols {
				if hidden(i) {
					continue
				}
				w := clampWidth(widths[i])
				v := row[i]
				var cellFmt string
				switch {
				case v.null:
					cellFmt = " " + padRight("NULL", w) + " |"
				case c.numeric && !gui:
					s := v.s
					if isDigits(s) && c.name != "jobid" {
						s = addCommas(s)
					}
					cellFmt = " " + padLeft(s, w) + " |"
				default:
					cellFmt = " " + padRight(v.s, w) + " |"
				}
				if i == len(rs.cols)-1 {
					cellFmt += "\n"
				}
				f.KVString(c.name, formatter.Null, v.value(), cellFmt)
			}
			f.ObjectEnd(formatter.Null, formatter.Null)
		}
		f.Decoration(dashes)
	case vertList:
		k := 0
		for i, c := range rs.cols {
			if !hidden(i) {
				k = max(k, cstrlen(c.name))
			}
		}
		for _, row := range rs.rows {
			if filters && !f.FilterRow(rowStrings(row)) {
				continue
			}
			f.ObjectStart(formatter.Null, formatter.Null)
			for i, c := range rs.cols {
				if hidden(i) {
					continue
				}
				v := row[i]
				keyFmt := " " + padLeft(c.name, k) + ": "
				var valFmt string
				switch {
				case v.null:
					valFmt = "NULL\n"
				case c.numeric && !gui && isDigits(v.s) && c.name != "jobid":
					valFmt = addCommas(v.s) + "\n"
				default:
					valFmt = v.s + "\n"
				}
				f.KVString(c.name, keyFmt, v.value(), valFmt)
			}
			f.Decoration("\n")
			f.ObjectEnd(formatter.Null, formatter.Null)
		}
	}
	return len(rs.rows)
}

// horzWidths computes the column widths of a horizontal table over all
// rows (also those a filter will drop).
func horzWidths(rs *resultSet) []int {
	widths := make([]int, len(rs.cols))
	for i, c := range rs.cols {
		maxLen := 0
		for _, row := range rs.rows {
			l := 4 // "NULL"
			if !row[i].null {
				l = cstrlen(row[i].s)
			}
			maxLen = max(maxLen, l)
		}
		if c.numeric && maxLen > 0 && c.name != "jobid" {
			maxLen += (maxLen - 1) / 3
		}
		w := max(cstrlen(c.name), maxLen)
		if w < 4 {
			w = 4
		}
		widths[i] = w
	}
	return widths
}

// dashLine is the table border: "+", then per shown column its width
// plus two dashes (at most 100) and "+", then a newline.
func dashLine(widths []int, hidden func(int) bool) string {
	var b strings.Builder
	b.WriteByte('+')
	for i, w := range widths {
		if hidden(i) {
			continue
		}
		b.WriteString(strings.Repeat("-", clampWidth(w+2)))
		b.WriteByte('+')
	}
	b.WriteByte('\n')
	return b.String()
}
