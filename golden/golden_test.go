package golden

import (
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/uaformat/uaformat/formatter"
)

// These golden files pin down realistic Director output: each test drives
// the formatter with the calls the Director makes for one console command
// (dird/ua_output.cc, cats/sql.cc ListResult, dird/ua_dotcmds.cc, the
// dispatcher's FinalizeResult) and compares all three API modes with
// testdata/NAME.mode{0,1,2}.golden. Regenerate with go test -update and
// read the diff.

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ instead of comparing with them")

// null is the C NULL pointer (a NULL column value, a NULL fmt).
const null = formatter.Null

// column is a result-set column: its name and whether PostgreSQL reports
// a numeric type for it (int2/int4/int8/float/numeric).
type column struct {
	name    string
	numeric bool
}

// result is a catalog query result; a null cell is formatter.Null.
type result struct {
	cols []column
	rows [][]string
}

// maxLength is the Director's clamp of column widths.
func maxLength(n int) int { return min(n, 100) }

// addCommas groups the digits of an all-digits string by thousands.
func addCommas(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isInteger(s string) bool { return s != null && digits(s) }

// cellLen is the length the Director's width computation uses (the data
// here is ASCII, where cstrlen is the byte length); NULL counts as 4.
func cellLen(s string) int {
	if s == null {
		return 4
	}
	return len(s)
}

// horzList renders r like ListResult(HORZ_LIST): a table with dashes and a
// header drawn by Decorations, one nameless object per row whose key/value
// pairs carry the pre-rendered cell as value fmt.
func horzList(f *formatter.Formatter, r result) {
	if len(r.rows) == 0 {
		f.Decoration("No results to list.\n")
		return
	}
	widths := make([]int, len(r.cols))
	for i, c := range r.cols {
		maxlen := 0
		for _, row := range r.rows {
			maxlen = max(maxlen, cellLen(row[i]))
		}
		if c.numeric && maxlen > 0 && c.name != "jobid" {
			maxlen += (maxlen - 1) / 3
		}
		widths[i] = max(len(c.name), maxlen, 4)
	}
	dashes := func() {
		f.Decoration("+")
		for _, w := range widths {
			for range maxLength(w + 2) {
				f.Decoration("-")
			}
			f.Decoration("+")
		}
		f.Decoration("\n")
	}
	dashes()
	f.Decoration("|")
	for i, c := range r.cols {
		f.Decoration(" %-*s |", maxLength(widths[i]), c.name)
	}
	f.Decoration("\n")
	dashes()
	filters := f.HasFilters()
	for _, row := range r.rows {
		if filters && !f.FilterRow(row) {
			continue
		}
		f.ObjectStart(null, null)
		f.Decoration("|")
		for i, c := range r.cols {
			w, v := maxLength(widths[i]), row[i]
			var cell string
			switch {
			case v == null:
				cell = fmt.Sprintf(" %-*s |", w, "NULL")
			case c.numeric && isInteger(v) && c.name != "jobid":
				cell = fmt.Sprintf(" %*s |", w, addCommas(v))
			case c.numeric:
				cell = fmt.Sprintf(" %*s |", w, v)
			default:
				cell = fmt.Sprintf(" %-*s |", w, v)
			}
			if i == len(r.cols)-1 {
				cell += "\n"
			}
			f.KVString(c.name, null, v, cell)
		}
		f.ObjectEnd(null, null)
	}
	dashes()
}

// vertList renders r like ListResult(VERT_LIST) (llist): per row a
// nameless object with " name: value" lines and an empty line after it.
func vertList(f *formatter.Formatter, r result) {
	if len(r.rows) == 0 {
		f.Decoration("No results to list.\n")
		return
	}
	k := 0
	for _, c := range r.cols {
		k = max(k, len(c.name))
	}
	filters := f.HasFilters()
	for _, row := range r.rows {
		if filters && !f.FilterRow(row) {
			continue
		}
		f.ObjectStart(null, null)
		for i, c := range r.cols {
			v := row[i]
			key := fmt.Sprintf(" %*s: ", k, c.name)
			var value string
			switch {
			case v == null:
				value = "NULL\n"
			case c.numeric && isInteger(v) && c.name != "jobid":
				value = addCommas(v) + "\n"
			default:
				value = v + "\n"
			}
			f.KVString(c.name, key, v, value)
		}
		f.Decoration("\n")
		f.ObjectEnd(null, null)
	}
}

// The `list jobs` result (columns of the HORZ query).
var listJobsResult = result{
	cols: []column{{"jobid", true}, {"name", false}, {"client", false}, {"starttime", false},
		{"duration", false}, {"type", false}, {"level", false}, {"jobfiles", true},
		{"jobbytes", true}, {"jobstatus", false}},
	rows: [][]string{
		{"1", "BackupClient1", "bareos-fd", "2024-05-01 21:10:02", "00:00:12", "B", "F", "184", "41934216", "T"},
		{"2", "BackupCatalog", "bareos-fd", "2024-05-01 21:20:05", "00:00:03", "B", "F", "1", "219431", "T"},
		{"3", "RestoreFiles", "bareos-fd", null, "00:00:00", "R", "F", "0", "0", "f"},
	},
}

// TestListJobs: `list jobs` by the default console.
func TestListJobs(t *testing.T) {
	Check(t, "list_jobs", Options{Update: *update}, func(f *formatter.Formatter) bool {
		f.ArrayStart("jobs", null)
		horzList(f, listJobsResult)
		f.ArrayEnd("jobs", null)
		return true
	})
}

// TestListJobsRestricted: `list jobs limit=3` by a console whose Job ACL
// denies BackupCatalog: ACL filter tuples on the job (1) and client (2)
// columns, then the limit tuple; the denied row is suppressed and counted
// in meta.range.filtered.
func TestListJobsRestricted(t *testing.T) {
	const jobACL, clientACL = 0, 1
	allowed := map[int][]string{jobACL: {"BackupClient1", "RestoreFiles"}, clientACL: {"bareos-fd"}}
	Check(t, "list_jobs_restricted", Options{Update: *update}, func(f *formatter.Formatter) bool {
		f.SetFilterFunc(func(row []string, flt formatter.Filter) formatter.FilterState {
			if flt.Kind != formatter.FilterACL {
				return formatter.FilterShow
			}
			v := row[flt.Column]
			if v == null || v == "" {
				return formatter.FilterUnknown
			}
			for _, a := range allowed[flt.Type] {
				if a == v {
					return formatter.FilterShow
				}
			}
			return formatter.FilterSuppress
		})
		f.AddACLFilter(1, jobACL)
		f.AddACLFilter(2, clientACL)
		f.AddLimitFilter(3)
		f.ArrayStart("jobs", null)
		horzList(f, listJobsResult)
		f.ArrayEnd("jobs", null)
		return true
	})
}

// TestLlistJobs: `llist jobs`, the vertical listing with every column of
// the VERT query, including NULLs from the LEFT JOINs of a failed job.
func TestLlistJobs(t *testing.T) {
	n := func(name string) column { return column{name, true} }
	s := func(name string) column { return column{name, false} }
	r := result{
		cols: []column{n("jobid"), s("job"), s("name"), n("purgedfiles"), s("type"), s("level"),
			n("clientid"), s("client"), s("jobstatus"), s("schedtime"), s("starttime"), s("endtime"),
			s("realendtime"), s("duration"), n("jobtdate"), n("volsessionid"), n("volsessiontime"),
			n("jobfiles"), n("jobbytes"), n("joberrors"), n("jobmissingfiles"), n("poolid"),
			s("poolname"), n("priorjobid"), n("filesetid"), s("fileset")},
		rows: [][]string{
			{"1", "BackupClient1.2024-05-01_21.10.00_03", "BackupClient1", "0", "B", "F",
				"1", "bareos-fd", "T", "2024-05-01 21:10:00", "2024-05-01 21:10:02", "2024-05-01 21:10:14",
				"2024-05-01 21:10:14", "00:00:12", "1714590614", "1", "1714590000",
				"184", "41934216", "0", "0", "3",
				"Full", "0", "1", "SelfTest"},
			{"3", "RestoreFiles.2024-05-01_21.30.00_05", "RestoreFiles", "0", "R", "F",
				"1", "bareos-fd", "f", "2024-05-01 21:30:00", null, null,
				null, "00:00:00", "0", "0", "0",
				"0", "0", "1", "0", "0",
				null, "0", "0", null},
		},
	}
	Check(t, "llist_jobs", Options{Update: *update}, func(f *formatter.Formatter) bool {
		f.ArrayStart("jobs", null)
		vertList(f, r)
		f.ArrayEnd("jobs", null)
		return true
	})
}

// bvfsEntry is one row of `.bvfs_lsfiles`: the catalog ids, the file
// name and the stat fields its lstat encodes.
type bvfsEntry struct {
	typ                       string
	pathID, fileID, jobID     uint64
	name, fullpath            string // fullpath only for directories
	dev, ino, mode, nlink     uint64
	uid, gid                  uint64
	user, group               string
	rdev, size                uint64
	atime, mtime, ctime, link uint64
}

// base64Digit is the Bareos base64 alphabet used in lstat fields.
const base64Digit = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// toBase64 encodes v as the Director's catalog does: the minimal number of
// base64 digits, most significant first.
func toBase64(v uint64) string {
	var b []byte
	for {
		b = append([]byte{base64Digit[v&0x3f]}, b...)
		v >>= 6
		if v == 0 {
			return string(b)
		}
	}
}

// lstat is the catalog's encoding of e's stat fields: dev ino mode nlink
// uid gid rdev size blksize blocks atime mtime ctime LinkFI flags stream.
func (e bvfsEntry) lstat() string {
	blocks := (e.size + 4095) / 4096 * 8
	fields := []uint64{e.dev, e.ino, e.mode, e.nlink, e.uid, e.gid, e.rdev, e.size, 4096, blocks,
		e.atime, e.mtime, e.ctime, e.link, 0, 2}
	s := make([]string, len(fields))
	for i, v := range fields {
		s[i] = toBase64(v)
	}
	return strings.Join(s, " ")
}

func TestToBase64(t *testing.T) {
	for v, want := range map[uint64]string{0: "A", 1: "B", 63: "/", 64: "BA", 4096: "BAA", 33188: "IGk", 1714590603: "BmMpOL"} {
		if got := toBase64(v); got != want {
			t.Errorf("toBase64(%d) = %q, want %q", v, got, want)
		}
	}
}

// TestBvfsLsfiles: `.bvfs_lsfiles jobid=7 path=/etc/`: nameless objects in
// the "files" array, each with a nested "stat" object whose members have
// no fmts (JSON only); the text line of each entry comes from the %lld\t
// fmts the Director uses.
func TestBvfsLsfiles(t *testing.T) {
	entries := []bvfsEntry{
		{typ: "F", pathID: 12, fileID: 3311, jobID: 7, name: "hosts",
			dev: 2049, ino: 1311802, mode: 0o100644, nlink: 1, user: "root", group: "root",
			size: 256, atime: 1714590603, mtime: 1700000000, ctime: 1700000005},
		{typ: "F", pathID: 12, fileID: 3312, jobID: 7, name: "passwd",
			dev: 2049, ino: 1311803, mode: 0o100644, nlink: 1, uid: 1000, gid: 1000, user: "bareos", group: "bareos",
			size: 3072, atime: 1714590603, mtime: 1700000000, ctime: 1700000005},
	}
	Check(t, "bvfs_lsfiles", Options{Update: *update}, func(f *formatter.Formatter) bool {
		f.ArrayStart("files", null)
		for _, e := range entries {
			f.ObjectStart(null, null)
			f.KVString("Type", null, e.typ, null)
			f.KVUint("PathId", null, e.pathID, "%lld\t")
			f.KVUint("FileId", null, e.fileID, "%lld\t")
			f.KVUint("JobId", null, e.jobID, "%lld\t")
			f.KVString("lstat", null, e.lstat(), "%s\t")
			f.KVString("Name", null, e.name, "%s\n")
			if e.typ == "D" {
				f.KVString("Fullpath", null, e.fullpath, null)
			}
			f.ObjectStart("stat", null)
			f.KVUint("dev", null, e.dev, null)
			f.KVUint("ino", null, e.ino, null)
			f.KVUint("mode", null, e.mode, null)
			f.KVUint("nlink", null, e.nlink, null)
			f.KVUint("uid", null, e.uid, null)
			f.KVUint("gid", null, e.gid, null)
			f.KVString("user", null, e.user, null)
			f.KVString("group", null, e.group, null)
			f.KVUint("rdev", null, e.rdev, null)
			f.KVUint("size", null, e.size, null)
			f.KVUint("atime", null, e.atime, null)
			f.KVUint("mtime", null, e.mtime, null)
			f.KVUint("ctime", null, e.ctime, null)
			f.ObjectEnd("stat", null)
			f.KVUint("LinkFileIndex", null, e.link, null)
			f.ObjectEnd(null, null)
		}
		f.ArrayEnd("files", null)
		return true
	})
}

// TestAPI: `.api 2` and `.api 0`, issued in each mode: the formatter is
// switched first, then the new mode is reported.
func TestAPI(t *testing.T) {
	for _, m := range []uint64{0, 2} {
		Check(t, fmt.Sprintf("api%d", m), Options{Update: *update}, func(f *formatter.Formatter) bool {
			f.SetMode(Modes[m])
			f.KVUint("api", "%s: ", m, "%d\n")
			return true
		})
	}
}

// TestStorages: `.storages` (the example of the Bareos developer docs, with
// the enabled flag the current Director adds in JSON only).
func TestStorages(t *testing.T) {
	storages := []struct {
		name    string
		enabled bool
	}{{"File", true}, {"myTapeLibrary", false}}
	Check(t, "storages", Options{Update: *update}, func(f *formatter.Formatter) bool {
		f.ArrayStart("storages", null)
		for _, s := range storages {
			f.ObjectStart(null, null)
			f.KVString("name", null, s.name, "%s\n")
			f.KVBool("enabled", null, s.enabled, null)
			f.ObjectEnd(null, null)
		}
		f.ArrayEnd("storages", null)
		return true
	})
}

// errorMsg is what the Director's ErrorMsg/WarningMsg do with the
// formatter: flush what is buffered, then add a typed message.
func errorMsg(f *formatter.Formatter, typ, text string) {
	f.SendBuffer()
	f.Message(typ, text)
}

// TestInvalidCommand: an unknown command word: one error message, the
// dispatcher finalizes with false.
func TestInvalidCommand(t *testing.T) {
	Check(t, "invalid_command", Options{Update: *update}, func(f *formatter.Formatter) bool {
		errorMsg(f, formatter.MsgError, "nosuchcmd: is an invalid command.\n")
		return false
	})
}

// TestListJobsBadJobtype: `list jobs jobtype=Q`: a warning, then an error,
// then a failed result; JSON groups the messages by type.
func TestListJobsBadJobtype(t *testing.T) {
	Check(t, "list_jobs_bad_jobtype", Options{Update: *update}, func(f *formatter.Formatter) bool {
		errorMsg(f, formatter.MsgWarning, "Illegal jobtype Q\n")
		errorMsg(f, formatter.MsgError, "invalid jobtype parameter\n")
		return false
	})
}

// TestHelpCancel: `help cancel`: the usage is rewrapped at 45 columns in
// mode 0, only collapsed in the API modes.
func TestHelpCancel(t *testing.T) {
	Check(t, "help_cancel", Options{Update: *update}, func(f *formatter.Formatter) bool {
		f.Decoration("%s", "  Command            Description\n  =======            ===========\n")
		f.ObjectStart("cancel", null)
		f.KVString("command", null, "cancel", "  %-18s")
		f.KVString("description", null, "Cancel a job", " %s\n\n")
		f.KVStringWrap("arguments", "Arguments:\n\t",
			"storage=<storage-name> | jobid=<jobid> | job=<job-name> | ujobid=<unique-jobid> | state=<job_state> | all yes",
			"%s\n", 45)
		f.KVBool("permission", null, true, null)
		f.ObjectEnd("cancel", null)
		f.Decoration("\nWhen at a prompt, entering a period (.) cancels the command.\n\n")
		return true
	})
}
