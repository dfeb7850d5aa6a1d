package dircmd_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tidwall/gjson"
	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/internal/sampledir"
	"github.com/uaformat/uaformat/uacontext"
)

var modes = []apimode.Mode{apimode.Off, apimode.On, apimode.JSON}

// jsonResult runs line in mode 2 and returns the parsed document.
func jsonResult(t *testing.T, console *uacontext.Console, line string) gjson.Result {
	t.Helper()
	out := run(t, console, apimode.JSON, line).data()
	if !gjson.Valid(out) {
		t.Fatalf("%s: invalid JSON %q", line, out)
	}
	return gjson.Parse(out)
}

func strs(r gjson.Result) []string {
	var out []string
	for _, x := range r.Array() {
		out = append(out, x.String())
	}
	return out
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func TestResourceDotCommands(t *testing.T) {
	tests := []struct {
		line, array, key string
		want             []string
		enabled          []bool // nil: no "enabled" key
	}{
		{".jobs", "jobs", "name", []string{"BackupClient1", "BackupCatalog", "RestoreFiles", "backup-web01", "backup-db01", "backup-mail", "backup-fileserver", "backup-laptop", "VerifyClient1"},
			[]bool{true, true, true, true, true, true, true, false, true}},
		{".jobs type=R", "jobs", "name", []string{"RestoreFiles"}, []bool{true}},
		{".jobs disabled", "jobs", "name", []string{"backup-laptop"}, []bool{false}},
		{".clients enabled", "clients", "name", []string{"bareos-fd", "web01-fd", "db01-fd", "mail-fd", "fileserver-fd"}, []bool{true, true, true, true, true}},
		{".pools", "pools", "name", []string{"Full", "Differential", "Incremental", "Scratch"}, nil},
		{".pools type=scr", "pools", "name", []string{"Scratch"}, nil},
		{".storages", "storages", "name", []string{"File", "Tape"}, []bool{true, true}},
		{".filesets", "filesets", "name", []string{"Catalog", "LinuxAll", "SelfTest", "Windows All Drives", "PostgreSQL"}, nil},
		{".schedule", "schedules", "name", []string{"WeeklyCycle", "WeeklyCycleAfterBackup", "MonthlyArchive"}, []bool{true, true, false}},
		{".catalogs", "catalogs", "name", []string{"MyCatalog"}, nil},
		{".msgs", "messages", "text", []string{"Standard", "Daemon"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			for _, m := range []apimode.Mode{apimode.Off, apimode.On} {
				r := run(t, nil, m, tt.line)
				// One packet per resource: the object end flushes "name\n".
				var pkts []string
				for _, p := range r.pkts {
					if p.sig == 0 {
						pkts = append(pkts, p.data)
					}
				}
				var want []string
				for _, n := range tt.want {
					want = append(want, n+"\n")
				}
				if diff := cmp.Diff(want, pkts); diff != "" {
					t.Errorf("mode %v packets (-want +got):\n%s", m, diff)
				}
				if m == apimode.On && !r.hasSignal(bsock.CmdOK) {
					t.Errorf("mode 1: no CMD_OK")
				}
			}
			doc := jsonResult(t, nil, tt.line)
			arr := doc.Get("result." + tt.array)
			if !arr.IsArray() {
				t.Fatalf("result.%s is not an array: %s", tt.array, doc.Raw)
			}
			if diff := cmp.Diff(tt.want, strs(arr.Get("#."+tt.key))); diff != "" {
				t.Errorf("JSON names (-want +got):\n%s", diff)
			}
			if tt.enabled != nil {
				var got []bool
				for _, e := range arr.Get("#.enabled").Array() {
					got = append(got, e.Bool())
				}
				if diff := cmp.Diff(tt.enabled, got); diff != "" {
					t.Errorf("JSON enabled (-want +got):\n%s", diff)
				}
			} else if arr.Get("0.enabled").Exists() {
				t.Errorf("unexpected enabled key")
			}
		})
	}
}

var (
	dashRE   = regexp.MustCompile(`^\+(-+\+)+$`)
	headerRE = regexp.MustCompile(`^\|( \S+ +\|)+$`)
)

// tableRows checks the shape of a mode-0 table and returns its data rows
// split into trimmed cells, and the header names.
func tableRows(t *testing.T, text string) (header []string, rows [][]string) {
	t.Helper()
	ls := lines(text)
	if len(ls) < 4 {
		t.Fatalf("too few lines for a table:\n%s", text)
	}
	if !dashRE.MatchString(ls[0]) || ls[0] != ls[2] || ls[0] != ls[len(ls)-1] {
		t.Fatalf("table borders wrong:\n%s", text)
	}
	if !headerRE.MatchString(ls[1]) {
		t.Fatalf("header line wrong: %q", ls[1])
	}
	width := len(ls[0])
	split := func(l string) []string {
		var out []string
		for _, c := range strings.Split(strings.Trim(l, "|"), "|") {
			out = append(out, strings.TrimSpace(c))
		}
		return out
	}
	header = split(ls[1])
	for _, l := range ls[3 : len(ls)-1] {
		if len(l) != width {
			t.Errorf("row width %d != border width %d: %q", len(l), width, l)
		}
		rows = append(rows, split(l))
	}
	return header, rows
}

func TestListJobsModes(t *testing.T) {
	r := run(t, nil, apimode.Off, "list jobs limit=7 offset=3")
	header, rows := tableRows(t, r.data())
	wantHeader := []string{"jobid", "name", "client", "starttime", "duration", "type", "level", "jobfiles", "jobbytes", "jobstatus"}
	if diff := cmp.Diff(wantHeader, header); diff != "" {
		t.Fatalf("header (-want +got):\n%s", diff)
	}
	if len(rows) != 7 || rows[0][0] != "4" {
		t.Fatalf("rows = %v, want 7 rows starting at jobid 4", rows)
	}
	// Header and the first row form the first packet, then one packet per
	// row, then the closing border.
	var data []string
	for _, p := range r.pkts {
		if p.sig == 0 {
			data = append(data, p.data)
		}
	}
	if len(data) != 1+6+1 {
		t.Errorf("got %d packets, want 8", len(data))
	}

	doc := jsonResult(t, nil, "list jobs limit=7 offset=3")
	jobs := doc.Get("result.jobs")
	if n := len(jobs.Array()); n != 7 {
		t.Fatalf("JSON: %d jobs", n)
	}
	if got := doc.Get("result.meta.range.limit").Int(); got != 7 {
		t.Errorf("meta.range.limit = %d", got)
	}
	if got := doc.Get("result.meta.range.offset").Int(); got != 3 {
		t.Errorf("meta.range.offset = %d", got)
	}
	// JSON values are the raw catalog strings; text rows add commas.
	for i, row := range rows {
		j := jobs.Get(fmt.Sprint(i))
		if row[1] != j.Get("name").String() || row[0] != j.Get("jobid").String() {
			t.Errorf("row %d: text %v vs JSON %s", i, row, j.Raw)
		}
		if strings.ReplaceAll(row[8], ",", "") != j.Get("jobbytes").String() {
			t.Errorf("row %d: jobbytes %q vs %q", i, row[8], j.Get("jobbytes").String())
		}
		if !regexp.MustCompile(`^\d{1,3}(,\d{3})*$`).MatchString(row[8]) {
			t.Errorf("jobbytes not grouped: %q", row[8])
		}
	}

	// Mode 1: the same rows without borders and header.
	r1 := run(t, nil, apimode.On, "list jobs limit=7 offset=3")
	ls := lines(r1.data())
	if len(ls) != 7 || strings.HasPrefix(ls[0], "|") || !strings.HasSuffix(ls[0], " |") {
		t.Errorf("mode 1 rows:\n%s", r1.data())
	}
}

func TestLlistJobs(t *testing.T) {
	out := run(t, nil, apimode.Off, "llist jobid=2").data()
	ls := lines(out)
	if len(ls) != 27 || ls[26] != "" {
		t.Fatalf("llist jobid=2: %d lines:\n%s", len(ls), out)
	}
	// Keys are right-aligned to the longest column name (jobmissingfiles).
	if ls[0] != "           jobid: 2" || ls[20] != " jobmissingfiles: 0" {
		t.Errorf("key alignment:\n%s", out)
	}
	doc := jsonResult(t, nil, "llist jobid=2")
	j := doc.Get("result.jobs.0")
	if j.Get("jobid").String() != "2" || j.Get("poolname").String() != "Full" || !j.Get("jobmissingfiles").Exists() {
		t.Errorf("JSON: %s", j.Raw)
	}
	if n := len(j.Map()); n != 26 {
		t.Errorf("JSON job has %d keys, want 26", n)
	}
}

func TestListOther(t *testing.T) {
	t.Run("pools", func(t *testing.T) {
		header, rows := tableRows(t, run(t, nil, apimode.Off, "list pools").data())
		if diff := cmp.Diff([]string{"poolid", "name", "numvols", "maxvols", "pooltype", "labelformat"}, header); diff != "" {
			t.Error(diff)
		}
		if len(rows) != 4 || rows[3][5] != "NULL" {
			t.Errorf("rows %v", rows)
		}
		doc := jsonResult(t, nil, "llist pools")
		if got := doc.Get("result.pools.#.name"); len(got.Array()) != 4 || doc.Get("result.pools.0.prunablebytes").String() != "0" {
			t.Errorf("llist pools: %s", doc.Raw)
		}
		text := run(t, nil, apimode.Off, "llist pools").data()
		if !strings.HasPrefix(text, "poolid: 1\nname: Full\n") {
			t.Errorf("llist pools text: %q", text[:min(60, len(text))])
		}
	})
	t.Run("clients", func(t *testing.T) {
		doc := jsonResult(t, nil, "list clients")
		if got := strs(doc.Get("result.clients.#.name")); len(got) != 6 {
			t.Errorf("clients: %v", got)
		}
	})
	t.Run("media", func(t *testing.T) {
		doc := jsonResult(t, nil, "list media")
		vols := doc.Get("result.volumes")
		if !vols.IsObject() || !vols.Get("scratch").IsArray() || !vols.Get("full").IsArray() {
			t.Fatalf("volumes: %s", vols.Raw)
		}
		text := run(t, nil, apimode.Off, "list volumes").data()
		if !strings.HasPrefix(text, "Pool: Full\n+") || !strings.Contains(text, "Pool: Scratch\n+") {
			t.Errorf("list volumes text:\n%s", text)
		}
		one := jsonResult(t, nil, "list volume=ABC001L6")
		// The rows are nameless objects inside the object "volume": they
		// merge into it.
		if got := one.Get("result.volume.volumename").String(); got != "ABC001L6" {
			t.Errorf("list volume=: %s", one.Raw)
		}
		byJob := jsonResult(t, nil, "list volumes jobid=2")
		if !byJob.Get("result.volumes.0.volumename").Exists() {
			t.Errorf("list volumes jobid=2: %s", byJob.Raw)
		}
	})
	t.Run("files", func(t *testing.T) {
		r := run(t, nil, apimode.Off, "list files jobid=2")
		ls := lines(r.data())
		if len(ls) == 0 || !strings.HasPrefix(ls[0], " /") {
			t.Fatalf("list files: %q", r.data())
		}
		doc := jsonResult(t, nil, "list files jobid=2")
		names := strs(doc.Get("result.filenames.#.filename"))
		if len(names) != len(ls) || " "+names[0] != ls[0] {
			t.Errorf("JSON %d names vs %d lines", len(names), len(ls))
		}
	})
	t.Run("count", func(t *testing.T) {
		doc := jsonResult(t, nil, "list jobs count")
		if got := doc.Get("result.jobs.0.count").String(); got != "60" {
			t.Errorf("count = %q", got)
		}
	})
	t.Run("filters", func(t *testing.T) {
		doc := jsonResult(t, nil, "list jobs client=web01-fd jobstatus=T level=F")
		for _, j := range doc.Get("result.jobs").Array() {
			if j.Get("client").String() != "web01-fd" || j.Get("jobstatus").String() != "T" || j.Get("level").String() != "F" {
				t.Errorf("unexpected job %s", j.Raw)
			}
		}
		if len(doc.Get("result.jobs").Array()) == 0 {
			t.Error("no jobs")
		}
		none := run(t, nil, apimode.Off, "list jobs jobtype=g").data()
		if none != "No results to list.\n" {
			t.Errorf("empty list: %q", none)
		}
	})
}

func TestListErrors(t *testing.T) {
	tests := []struct {
		line, msg string
		ok        bool // the command's result (CMD_OK in mode 1)
	}{
		{"list", "list command requires a keyword\n", false},
		{"li", "li command requires a keyword\n", false},
		{"llist", "llist command requires a keyword\n", false},
		{"list nonsense", "Unknown list keyword: nonsense\n", false},
		{"list poolid", "Unknown list keyword: poolid\n", false},
		{"list jobs=3", "'list jobs' does not allow an jobs parameter\n", false},
		{"list jobid", "Missing jobid parameter\n", false},
		{"list job", "Missing job parameter\n", false},
		{"list jobs jobstatus=xyz", "invalid jobstatus parameter\n", false},
		{"list jobs jobstatus=", "invalid jobstatus parameter\n", false},
		{"list jobs joblevel=Fullish", "invalid joblevel parameter\n", false},
		{"list jobs client=nosuch-fd", "invalid client argument: nosuch-fd\n", false},
		{"list jobs client=a*b", "client argument: Illegal character \"*\" in name.\n", false},
		{"list files", "jobid not found in db, access to job or client denied by ACL, or client not found in db\n", false},
		{"list files jobid=99999", "jobid not found in db, access to job or client denied by ACL, or client not found in db\n", false},
		{".bvfs_lsfiles jobid=1", "Can't find jobid, pathid or path argument\n", false},
		{".bvfs_lsdirs path=/", "Can't find jobid, pathid or path argument\n", true},
		{".bvfs_lsfiles jobid=99999 path=/", "Unauthorized command from this console.\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			r := run(t, nil, apimode.Off, tt.line)
			if got := r.data(); got != tt.msg {
				t.Errorf("mode 0 = %q, want %q", got, tt.msg)
			}
			r = run(t, nil, apimode.On, tt.line)
			if !r.hasSignal(bsock.ErrorMsg) || r.data() != tt.msg {
				t.Errorf("mode 1: packets %+v", r.pkts)
			}
			if r.hasSignal(bsock.CmdOK) != tt.ok || r.hasSignal(bsock.CmdFailed) == tt.ok {
				t.Errorf("mode 1: result signal wrong, want ok=%v: %+v", tt.ok, r.pkts)
			}
			doc := jsonResult(t, nil, tt.line)
			if got := strs(doc.Get("error.data.messages.error")); len(got) != 1 || got[0] != tt.msg {
				t.Errorf("mode 2: %s", doc.Raw)
			}
		})
	}
	// jobtype errors come with a warning first.
	doc := jsonResult(t, nil, "list jobs jobtype=Bogus")
	if strs(doc.Get("error.data.messages.warning"))[0] != "Illegal jobtype Bogus\n" ||
		strs(doc.Get("error.data.messages.error"))[0] != "invalid jobtype parameter\n" {
		t.Errorf("jobtype: %s", doc.Raw)
	}
	// An unknown jobid lists an empty "jobs" object, not an error.
	doc = jsonResult(t, nil, "list jobid=99999")
	if !doc.Get("result.jobs").IsObject() || len(doc.Get("result.jobs").Map()) != 0 {
		t.Errorf("unknown jobid: %s", doc.Raw)
	}
	// A range PostgreSQL rejects lists nothing, but the range is still reported.
	doc = jsonResult(t, nil, "list jobs limit=-1")
	if doc.Get("result.jobs").Exists() || doc.Get("result.meta.range.limit").Int() != -1 {
		t.Errorf("limit=-1: %s", doc.Raw)
	}
}

func TestBvfs(t *testing.T) {
	doc := jsonResult(t, nil, ".bvfs_lsdirs jobid=1 path=/")
	dirs := doc.Get("result.directories")
	names := strs(dirs.Get("#.name"))
	if len(names) < 3 || names[0] != "." || names[1] != ".." || names[2] != "etc/" {
		t.Fatalf("lsdirs names %v", names)
	}
	if dirs.Get("1.lstat").String() != "A A A A A A A A A A A A A A" || dirs.Get("1.jobid").Int() != 0 {
		t.Errorf(".. without attributes: %s", dirs.Get("1").Raw)
	}
	if dirs.Get("2.fullpath").String() != "/etc/" || dirs.Get("2.stat.mode").Int() != 040755 {
		t.Errorf("etc: %s", dirs.Get("2").Raw)
	}
	text := run(t, nil, apimode.Off, ".bvfs_lsdirs jobid=1 path=/").data()
	first := lines(text)[0]
	if ok, _ := regexp.MatchString(`^\d+\t\d+\t1\t[A-Za-z0-9+/ ]+\t\.$`, first); !ok {
		t.Errorf("lsdirs text line %q", first)
	}

	files := jsonResult(t, nil, ".bvfs_lsfiles jobid=1 path=/etc/")
	f0 := files.Get("result.files.0")
	if f0.Get("type").String() != "F" || f0.Get("stat.user").String() != "root" || !f0.Get("linkfileindex").Exists() {
		t.Errorf("lsfiles entry: %s", f0.Raw)
	}
	if f0.Get("fullpath").Exists() {
		t.Error("files have no fullpath")
	}
	// limit/offset page through the big directory in name order.
	page := jsonResult(t, nil, ".bvfs_lsfiles jobid=1 path=/var/lib/bigdir/ limit=5 offset=2495")
	if got := strs(page.Get("result.files.#.name")); len(got) != 5 || got[4] != "data-0002500.bin" {
		t.Errorf("big dir page: %v", got)
	}
	all := jsonResult(t, nil, ".bvfs_lsfiles jobid=1 path=/var/lib/bigdir/ limit=100000")
	if n := len(all.Get("result.files").Array()); n != 2500 {
		t.Errorf("big dir: %d files", n)
	}
	def := jsonResult(t, nil, ".bvfs_lsfiles jobid=1 path=/var/lib/bigdir/")
	if n := len(def.Get("result.files").Array()); n != 2000 {
		t.Errorf("default limit: %d files", n)
	}
	pat := jsonResult(t, nil, ".bvfs_lsfiles jobid=1 path=/etc/ pattern=^pass")
	if got := strs(pat.Get("result.files.#.name")); len(got) != 1 || got[0] != "passwd" {
		t.Errorf("pattern: %v", got)
	}
	// Unknown paths: lsdirs fails silently, lsfiles lists the root (empty).
	r := run(t, nil, apimode.On, ".bvfs_lsdirs jobid=1 path=/nonexistent/")
	if r.data() != "" || !r.hasSignal(bsock.CmdFailed) {
		t.Errorf("lsdirs unknown path: %+v", r.pkts)
	}
	doc = jsonResult(t, nil, ".bvfs_lsfiles jobid=1 path=/nonexistent/")
	if !doc.Get("result.files").IsArray() || len(doc.Get("result.files").Array()) != 0 {
		t.Errorf("lsfiles unknown path: %s", doc.Raw)
	}
	// By pathid.
	etc := dirs.Get("2.pathid").Int()
	byID := jsonResult(t, nil, fmt.Sprintf(".bvfs_lsfiles jobid=1 pathid=%d", etc))
	if diff := cmp.Diff(strs(files.Get("result.files.#.name")), strs(byID.Get("result.files.#.name"))); diff != "" {
		t.Errorf("pathid listing differs:\n%s", diff)
	}
}

func TestStatusDirector(t *testing.T) {
	text := run(t, nil, apimode.Off, "status director").data()
	for _, want := range []string{
		"bareos-dir Version: 25.0.0 (21 August 2026) ",
		"\nScheduled Jobs:\nLevel          Type     Pri  Scheduled          Name               Volume\n",
		"\nRunning Jobs:\n", "No Jobs running.\n====\n",
		"\nTerminated Jobs:\n JobId  Level    Files      Bytes   Status   Finished        Name \n",
		"Client Initiated Connections (waiting for jobs):\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("status text lacks %q:\n%s", want, text)
		}
	}
	if !strings.HasSuffix(text, "====\n") {
		t.Errorf("status text does not end with ====")
	}
	doc := jsonResult(t, nil, "status dir")
	res := doc.Get("result")
	if res.Get("header.director").String() != "bareos-dir" || !res.Get("scheduled").IsArray() ||
		!res.Get("running").IsArray() || len(res.Get("terminated").Array()) == 0 || !res.Get("client-connection").IsArray() {
		t.Errorf("status JSON: %s", res.Raw)
	}
}

// restricted sees only BackupClient1 / bareos-fd / pool Full.
var restricted = &uacontext.Console{
	Name: "restricted",
	ACL: uacontext.ACLSet{
		uacontext.ACLCommand:  {"*all*"},
		uacontext.ACLJob:      {"BackupClient1", "backup-db01"},
		uacontext.ACLClient:   {"bareos-fd", "web01-fd"},
		uacontext.ACLPool:     {"Full"},
		uacontext.ACLStorage:  {"File"},
		uacontext.ACLSchedule: {"!MonthlyArchive", "*all*"},
		uacontext.ACLFileSet:  {"SelfTest"},
		uacontext.ACLCatalog:  {"MyCatalog"},
	},
}

func TestACLRestrictedConsole(t *testing.T) {
	// Names the console must never see: forbidden jobs (also when their
	// client is allowed) and forbidden clients and pools.
	forbidden := []string{"backup-web01", "backup-mail", "backup-fileserver", "backup-laptop",
		"RestoreFiles", "BackupCatalog", "VerifyClient1", "db01-fd", "mail-fd", "fileserver-fd",
		"laptop-fd", "Tape", "MonthlyArchive"}
	// Pool names also name levels, and status shows the pools of
	// scheduled jobs without a Pool ACL check (as the Director does).
	forbiddenPools := []string{"Incremental", "Differential", "Scratch"}
	commands := []string{
		"list jobs", "llist jobs", "list jobs limit=20", "llist jobs limit=5 offset=1", "list jobs last",
		".jobs", ".clients", ".pools", ".storages", ".schedule", "list clients", "list pools", "llist pools",
		"status dir", "list media", "llist media all", "list jobid=3", "list jobs client=db01-fd",
	}
	for _, line := range commands {
		for _, m := range modes {
			out := run(t, restricted, m, line).data()
			names := forbidden
			if !strings.HasPrefix(line, "status") {
				names = append(names[:len(names):len(names)], forbiddenPools...)
			}
			for _, name := range names {
				if strings.Contains(out, name) {
					t.Errorf("%q (mode %v) shows %q:\n%s", line, m, name, out)
				}
			}
		}
	}
	// What the console may see is still there.
	doc := jsonResult(t, restricted, "list jobs")
	names := map[string]bool{}
	for _, n := range strs(doc.Get("result.jobs.#.name")) {
		names[n] = true
	}
	if !names["BackupClient1"] || len(names) != 1 {
		t.Errorf("visible jobs: %v", names) // backup-db01 runs on a forbidden client
	}
	if got := strs(jsonResult(t, restricted, ".jobs").Get("result.jobs.#.name")); !cmp.Equal(got, []string{"BackupClient1", "backup-db01"}) {
		t.Errorf(".jobs: %v", got)
	}
	if got := strs(jsonResult(t, restricted, ".clients").Get("result.clients.#.name")); !cmp.Equal(got, []string{"bareos-fd", "web01-fd"}) {
		t.Errorf(".clients: %v", got)
	}
	if got := strs(jsonResult(t, restricted, ".pools").Get("result.pools.#.name")); !cmp.Equal(got, []string{"Full"}) {
		t.Errorf(".pools: %v", got)
	}
	// HORZ tables are sized over all rows, as in the Director: the width
	// of the name column still fits the hidden "backup-fileserver".
	_, rows := tableRows(t, run(t, restricted, apimode.Off, "list jobs limit=6").data())
	if len(rows) != 1 {
		t.Errorf("rows: %v", rows)
	}
	// The bvfs commands refuse jobs of other clients.
	doc = jsonResult(t, restricted, ".bvfs_lsfiles jobid=2 path=/")
	if got := strs(doc.Get("error.data.messages.error")); len(got) != 1 || got[0] != "Unauthorized command from this console.\n" {
		t.Errorf("bvfs: %s", doc.Raw)
	}
	// Files of a job of a forbidden client are refused like unknown jobs.
	doc = jsonResult(t, restricted, "list files jobid=2")
	if got := strs(doc.Get("error.data.messages.error")); len(got) != 1 || !strings.HasPrefix(got[0], "jobid not found in db") {
		t.Errorf("list files: %s", doc.Raw)
	}
	// A forbidden pool is reported like a missing one.
	doc = jsonResult(t, restricted, "list volumes pool=Incremental")
	if got := strs(doc.Get("error.data.messages.error")); len(got) != 2 || got[1] != "Pool Incremental doesn't exist.\n" {
		t.Errorf("list volumes pool=: %s", doc.Raw)
	}
	// list media all needs an unrestricted Pool ACL in the short form.
	doc = jsonResult(t, restricted, "list media all")
	if got := strs(doc.Get("error.data.messages.error")); len(got) != 1 || !strings.HasPrefix(got[0], "Restricted permission.") {
		t.Errorf("list media all: %s", doc.Raw)
	}
}

// BenchmarkBvfsLsFiles100k lists a directory of 100,000 files in JSON mode.
func BenchmarkBvfsLsFiles100k(b *testing.B) {
	d := sampledir.New(sampledir.Options{BigDirFiles: 100000})
	tab := newTable(d)
	for b.Loop() {
		rec := &recorder{}
		ua := uacontext.NewUA(rec, uacontext.Options{Table: tab})
		ua.SetMode(apimode.JSON)
		ua.Execute(context.Background(), ".bvfs_lsfiles jobid=1 path=/var/lib/bigdir/ limit=100000")
	}
}
