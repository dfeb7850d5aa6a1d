package dircmd

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

func TestCstrlen(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"é", 1},        // C3 A9: two-byte lead
		{"€", 2},        // E2 82 AC: the reference takes E0-EF as two-byte leads
		{"Ж", 1},        // D0 96: a D0-DF lead skips three bytes
		{"Жa", 1},       // ... swallowing the 'a'
		{"😀", 1},        // F0: four bytes
		{"\xff\xfe", 0}, // FE/FF count nothing
		{"a\xc3", 2},    // a truncated sequence at the end
	}
	for _, tt := range tests {
		if got := cstrlen(tt.in); got != tt.want {
			t.Errorf("cstrlen(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestAddCommas(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "123": "123", "1234": "1,234", "123456": "123,456", "1234567": "1,234,567",
		"18446744073709551615": "18,446,744,073,709,551,615",
	} {
		if got := addCommas(in); got != want {
			t.Errorf("addCommas(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWithSuffix(t *testing.T) {
	for in, want := range map[uint64]string{
		0: "0 ", 999: "999 ", 1234: "1.234 K", 123456789: "123.4 M", 16723456: "16.72 M",
		1 << 40: "1.099 T",
	} {
		if got := withSuffix(in); got != want {
			t.Errorf("withSuffix(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestInterval(t *testing.T) {
	for in, want := range map[time.Duration]string{
		0:                               "00:00:00",
		12 * time.Second:                "00:00:12",
		(25*60 + 3) * time.Minute:       "1 day 01:03:00",
		(50*60*60 + 62) * time.Second:   "2 days 02:01:02",
		-(90 * time.Second):             "-00:01:30",
		(10*time.Hour + 59*time.Minute): "10:59:00",
	} {
		if got := interval(in); got != want {
			t.Errorf("interval(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestBase64Int(t *testing.T) {
	for v, want := range map[int64]string{0: "A", 1: "B", 63: "/", 64: "BA", 2049: "gB", 16877: "EHt", -5: "-F"} {
		got := EncodeBase64Int(v)
		if got != want {
			t.Errorf("EncodeBase64Int(%d) = %q, want %q", v, got, want)
		}
		if back, _ := decodeBase64Int(got, 0); back != v {
			t.Errorf("decode(%q) = %d, want %d", got, back, v)
		}
	}
}

func TestDecodeStat(t *testing.T) {
	enc := func(vals ...int64) string {
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = EncodeBase64Int(v)
		}
		return strings.Join(parts, " ")
	}
	full := enc(2049, 1311802, 33188, 1, 1000, 1000, 0, 1048576, 4096, 2048, 1714590603, 1700000000, 1700000005, 7, 0, 1)
	got := DecodeStat(full)
	want := Stat{Dev: 2049, Ino: 1311802, Mode: 33188, Nlink: 1, UID: 1000, GID: 1000, Size: 1048576,
		Blksize: 4096, Blocks: 2048, Atime: 1714590603, Mtime: 1700000000, Ctime: 1700000005, LinkFI: 7}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DecodeStat mismatch (-want +got):\n%s", diff)
	}
	if got := DecodeStat(emptyLStat); got != (Stat{}) {
		t.Errorf("DecodeStat(empty) = %+v", got)
	}
	// Malformed input never panics and yields zeros where fields are missing.
	for _, s := range []string{"", "-", " ", "gB", "gB  ", "\xff\x00 x", strings.Repeat("/", 40)} {
		_ = DecodeStat(s)
	}
}

func FuzzDecodeStat(f *testing.F) {
	f.Add("gB CNnF IGk B A A A BCN BAA J Blkyfq Blik4L Blik4Q A A B")
	f.Add("A A A A A A A A A A A A A A")
	f.Fuzz(func(t *testing.T, s string) { _ = DecodeStat(s) })
}

func TestBasenameDir(t *testing.T) {
	for in, want := range map[string]string{
		"/etc/ssh/": "ssh/", "/etc/": "etc/", "/": "/", ".": ".", "..": "..", "": "",
		"C:/Users/": "Users/", "rel/dir/": "dir/",
	} {
		if got := basenameDir(in); got != want {
			t.Errorf("basenameDir(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNumberParsers(t *testing.T) {
	for s, want := range map[string]bool{"1": true, "-1": true, "1.5": true, "1e3": true, "": false, "a": false, "1a": false, "+": false} {
		if got := isANumber(s); got != want {
			t.Errorf("isANumber(%q) = %v", s, got)
		}
	}
	for s, want := range map[string]bool{"1": true, "1,2": true, "1,2,": true, ",1": false, "1,,2": false, "": false, "1 2": false} {
		if got := isANumberList(s); got != want {
			t.Errorf("isANumberList(%q) = %v", s, got)
		}
	}
	for s, want := range map[string]uint64{"5": 5, " 7": 7, "-1": ^uint64(0), "+3x": 3} {
		if got, ok := stoull(s); !ok || got != want {
			t.Errorf("stoull(%q) = %d, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "x", "-", "99999999999999999999999"} {
		if _, ok := stoull(s); ok {
			t.Errorf("stoull(%q) succeeded", s)
		}
	}
	if strToInt64(" -42x") != -42 || strToInt64("abc") != 0 {
		t.Error("strToInt64")
	}
}

// renderText renders a result set in mode 0 and returns the packets.
func renderPackets(rs *resultSet, mode listMode, api apimode.Mode) []string {
	var pkts []string
	f := formatter.New(formatter.SinkFunc(func(p []byte) error {
		pkts = append(pkts, string(p))
		return nil
	}), formatter.Options{Mode: api})
	f.ArrayStart("rows", null)
	render(f, rs, mode, false)
	f.ArrayEnd("rows", null)
	f.FinalizeResult(true)
	return pkts
}

func TestRenderHorizontal(t *testing.T) {
	rs := &resultSet{
		cols: []column{numCol("jobid"), textCol("name"), numCol("jobbytes")},
		rows: [][]cell{
			{num(1), str("a"), num(1234567)},
			{num(22), {null: true}, num(5)},
		},
	}
	got := renderPackets(rs, horzList, apimode.Off)
	// Widths: jobid max(5, 2) = 5 (no comma room for "jobid"); name
	// max(4, NULL=4) = 4; jobbytes 7 digits + 2 commas = 9.
	want := []string{
		"+-------+------+-----------+\n" +
			"| jobid | name | jobbytes  |\n" +
			"+-------+------+-----------+\n" +
			"|     1 | a    | 1,234,567 |\n",
		"|    22 | NULL |         5 |\n",
		"+-------+------+-----------+\n",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mode 0 (-want +got):\n%s", diff)
	}
	got = renderPackets(rs, horzList, apimode.On)
	want = []string{"     1 | a    | 1,234,567 |\n", "    22 | NULL |         5 |\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mode 1 (-want +got):\n%s", diff)
	}
}

func TestRenderVertical(t *testing.T) {
	rs := &resultSet{
		cols: []column{numCol("jobid"), textCol("name"), numCol("jobmissingfiles")},
		rows: [][]cell{{num(1234), str("x"), {null: true}}},
	}
	got := renderPackets(rs, vertList, apimode.Off)
	want := []string{"           jobid: 1234\n            name: x\n jobmissingfiles: NULL\n\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRenderEmptyAndWide(t *testing.T) {
	got := renderPackets(&resultSet{cols: []column{textCol("x")}}, horzList, apimode.Off)
	if diff := cmp.Diff([]string{"No results to list.\n"}, got); diff != "" {
		t.Errorf("empty (-want +got):\n%s", diff)
	}
	long := strings.Repeat("w", 150)
	got = renderPackets(&resultSet{cols: []column{textCol("c")}, rows: [][]cell{{str(long)}}}, horzList, apimode.Off)
	dashes := "+" + strings.Repeat("-", 100) + "+\n" // width 150 is cut to 100 (dashes too)
	if !strings.HasPrefix(got[0], dashes+"| c"+strings.Repeat(" ", 99)+" |\n"+dashes+"| "+long+" |\n") {
		t.Errorf("wide column:\n%q", got[0])
	}
}

func TestSelectJobs(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	jobs := []Job{
		{JobID: 1, Name: "A", StartTime: t0.Add(2 * time.Hour), JobStatus: 'T', Level: 'F', Type: 'B'},
		{JobID: 2, Name: "B", StartTime: t0.Add(1 * time.Hour), JobStatus: 'E', Level: 'I', Type: 'B'},
		{JobID: 3, Name: "A", JobStatus: 'R', Level: 'I', Type: 'B'}, // not started
		{JobID: 4, Name: "A", StartTime: t0.Add(3 * time.Hour), JobStatus: 'T', Level: 'I', Type: 'R'},
	}
	ids := func(js []Job) []uint64 {
		var out []uint64
		for _, j := range js {
			out = append(out, j.JobID)
		}
		return out
	}
	tests := []struct {
		q    JobQuery
		want []uint64
	}{
		{JobQuery{}, []uint64{2, 1, 4, 3}},
		{JobQuery{Descending: true}, []uint64{3, 4, 1, 2}},
		{JobQuery{Name: "A"}, []uint64{1, 4, 3}},
		{JobQuery{Last: true}, []uint64{2, 4}},
		{JobQuery{Statuses: []byte("TE")}, []uint64{2, 1, 4}},
		{JobQuery{Levels: []byte("I"), Types: []byte("B")}, []uint64{2, 3}},
		{JobQuery{HasLimit: true, Limit: 2, Offset: 1}, []uint64{1, 4}},
		{JobQuery{HasLimit: true, Limit: 2, Offset: 9}, nil},
		{JobQuery{HasLimit: true, Limit: 0}, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, ids(SelectJobs(jobs, tt.q, nil))); diff != "" {
			t.Errorf("SelectJobs(%+v) (-want +got):\n%s", tt.q, diff)
		}
	}
}
