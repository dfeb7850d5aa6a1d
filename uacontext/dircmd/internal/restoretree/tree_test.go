package restoretree

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// rows turns "dir/" and "dir/file" paths into tree rows of one job, in
// order, FileIndex counting from 1.
func rows(jobID uint32, paths ...string) []Entry {
	var out []Entry
	for i, p := range paths {
		e := Entry{JobID: jobID, FileIndex: int32(i + 1), Stat: Stat{Mode: 0o100644, Nlink: 1, Size: 100, Mtime: 1700000000, Ctime: 1700000000}}
		if strings.HasSuffix(p, "/") {
			e.Path = p
			e.Stat.Mode = 0o40755
			e.Stat.Size = 4096
		} else {
			i := strings.LastIndexByte(p, '/')
			e.Path, e.Name = p[:i+1], p[i+1:]
		}
		out = append(out, e)
	}
	return out
}

func build(t *testing.T, opts Options, entries ...Entry) *Tree {
	t.Helper()
	tr := New(opts)
	for _, e := range entries {
		if err := tr.Insert(e); err != nil {
			t.Fatalf("Insert(%+v): %v", e, err)
		}
	}
	tr.Finish()
	return tr
}

var sampleRows = rows(1,
	"/etc/hosts", "/etc/passwd", "/etc/ssh/sshd_config", "/etc/ssh/", "/etc/",
	"/home/alice/.bashrc", "/home/alice/notes.txt", "/home/alice/", "/home/", "/",
)

// recOut records the messages of a Shell.
type recOut struct{ msgs []string }

func (o *recOut) SendMsg(f string, a ...any)    { o.msgs = append(o.msgs, sprintf(f, a...)) }
func (o *recOut) WarningMsg(f string, a ...any) { o.msgs = append(o.msgs, "W:"+sprintf(f, a...)) }
func (o *recOut) ErrorMsg(f string, a ...any)   { o.msgs = append(o.msgs, "E:"+sprintf(f, a...)) }

func sprintf(f string, a ...any) string {
	if f == "%s" && len(a) == 1 {
		return a[0].(string)
	}
	return fmt.Sprintf(strings.ReplaceAll(f, "%-.8s", "%.8s"), a...)
}

// exec runs command lines and returns what each printed.
func exec(sh *Shell, lines ...string) [][]string {
	out := sh.Out.(*recOut)
	var res [][]string
	for _, l := range lines {
		out.msgs = nil
		sh.Exec(l, strings.Fields(l))
		res = append(res, out.msgs)
	}
	return res
}

func TestTreePaths(t *testing.T) {
	tr := build(t, Options{}, sampleRows...)
	var got []string
	tr.Each(func(n *Node) bool {
		got = append(got, fmt.Sprintf("%s %d", n.Path(), n.Type()))
		return true
	})
	want := []string{
		"/etc/ 2", "/etc/hosts 4", "/etc/passwd 4", "/etc/ssh/ 2", "/etc/ssh/sshd_config 4",
		"/home/ 2", "/home/alice/ 2", "/home/alice/.bashrc 4", "/home/alice/notes.txt 4",
		"/ 2", // the row of "/" is a nameless directory below the root
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("nodes (-want +got):\n%s", d)
	}
	// Rows of directories made for their files before count as rows,
	// not as new files.
	if tr.Rows() != 10 || tr.FileCount() != 6 || tr.Nodes() != 10 {
		t.Errorf("rows %d, file count %d, nodes %d; want 10, 6, 10", tr.Rows(), tr.FileCount(), tr.Nodes())
	}
	if p := tr.Root().Path(); p != "/" {
		t.Errorf("root path %q", p)
	}
}

func TestTreeWindowsPaths(t *testing.T) {
	tr := build(t, Options{}, rows(1, "C:/Users/bob/a.txt", "C:/Users/bob/", "C:/Users/", "C:/", "D:/x")...)
	var got []string
	tr.Each(func(n *Node) bool { got = append(got, n.Path()); return true })
	want := []string{"C:/", "C:/Users/", "C:/Users/bob/", "C:/Users/bob/a.txt", "D:/", "D:/x"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("paths (-want +got):\n%s", d)
	}
	sh := &Shell{Tree: tr, Out: &recOut{}}
	got2 := exec(sh, "cd C:/Users", "mark C:/Users/bob", "cd D:", "pwd")
	want2 := [][]string{{"cwd is: C:/Users/\n"}, {"2 files newly marked.\n"}, {"cwd is: D:/\n"}, {"cwd is: D:/\n"}}
	if d := cmp.Diff(want2, got2); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestTreeNewestRowWins checks the Director's rule for a file seen
// twice: a later job replaces it; within a job a row with a higher
// FileIndex replaces one with a lower (a hard link: the other way round).
func TestTreeNewestRowWins(t *testing.T) {
	tr := New(Options{})
	for _, e := range []Entry{
		{Path: "/d/", Name: "f", JobID: 1, FileIndex: 5},
		{Path: "/d/", Name: "f", JobID: 1, FileIndex: 3}, // lower index in the same job: ignored
		{Path: "/d/", Name: "f", JobID: 1, FileIndex: 9}, // higher: replaces
		{Path: "/d/", Name: "g", JobID: 1, FileIndex: 4},
		{Path: "/d/", Name: "g", JobID: 2, FileIndex: 1}, // a later job replaces
	} {
		if err := tr.Insert(e); err != nil {
			t.Fatal(err)
		}
	}
	tr.Finish()
	d := tr.Root().Children()[0]
	f, g := d.Children()[0], d.Children()[1]
	if f.JobID() != 1 || f.FileIndex() != 9 || g.JobID() != 2 || g.FileIndex() != 1 {
		t.Errorf("f %d/%d g %d/%d", f.JobID(), f.FileIndex(), g.JobID(), g.FileIndex())
	}
	if tr.Rows() != 5 || tr.FileCount() != 2 {
		t.Errorf("rows %d file count %d", tr.Rows(), tr.FileCount())
	}
}

// TestTreeOrder checks the Director's child order: the first byte as a
// signed char, then byte order; big directories filled out of order are
// sorted too.
func TestTreeOrder(t *testing.T) {
	names := []string{"b", "a", "Z", "résumé", "", "a0", "\xffx", "_"}
	var es []Entry
	for i := range 200 {
		names = append(names, fmt.Sprintf("f%03d", (i*37)%200))
	}
	for i, n := range names {
		es = append(es, Entry{Path: "/d/", Name: n, JobID: 1, FileIndex: int32(i + 1)})
	}
	tr := build(t, Options{}, es...)
	kids := tr.Root().Children()[0].Children()
	var got []string
	for _, k := range kids[:8] {
		got = append(got, k.Name())
	}
	// "" is a directory row of "/d/" itself, so it is not a child.
	want := []string{"\xffx", "Z", "_", "a", "a0", "b", "f000", "f001"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("order (-want +got):\n%s", d)
	}
	if len(kids) != 207 { // 7 names ("" is the row of /d/ itself) and 200 generated
		t.Errorf("%d children, want 207", len(kids))
	}
	for i := 1; i < len(kids); i++ {
		if compareNames(kids[i-1].Name(), kids[i].Name()) >= 0 {
			t.Fatalf("children %q and %q out of order", kids[i-1].Name(), kids[i].Name())
		}
	}
}

func TestTreeMaxNodes(t *testing.T) {
	tr := New(Options{MaxNodes: 5})
	var err error
	for _, e := range sampleRows {
		if err = tr.Insert(e); err != nil {
			break
		}
	}
	if err != ErrTooLarge || tr.Nodes() != 5 {
		t.Errorf("err %v, nodes %d; want ErrTooLarge, 5", err, tr.Nodes())
	}
	tr.Finish()
	if err := tr.Insert(sampleRows[0]); err != ErrFinished {
		t.Errorf("Insert after Finish: %v", err)
	}
}

func TestTreeAllAndProgress(t *testing.T) {
	ticks := 0
	tr := build(t, Options{All: true, DeltaCount: 2, Progress: func() { ticks++ }}, sampleRows...)
	if ticks != 2 {
		t.Errorf("%d progress ticks, want 2", ticks)
	}
	marked := 0
	tr.Each(func(n *Node) bool {
		if n.Extract() {
			marked++
		}
		return true
	})
	if marked != 10 {
		t.Errorf("%d marked, want 10", marked)
	}
	// As in the Director, "all" marks the nodes but not their parents'
	// "something below is marked" flag.
	if tr.Root().Children()[1].ExtractDescendant() {
		t.Error("descendant flag set by all")
	}
}

func TestShellCommands(t *testing.T) {
	tr := build(t, Options{}, sampleRows...)
	sh := &Shell{Tree: tr, Out: &recOut{}, Location: time.UTC}
	got := exec(sh,
		"ls",
		"cd /etc",
		"mark h*",
		"mark h*",
		"ls",
		"cd ..",
		"ls",
		"lsmark",
		"count",
		"estimate",
		"cd home/al*",
		"mark *",
		"unmark .bashrc",
		"cd /",
		"lsmark",
		"find *.txt hosts",
		"dir etc",
		"cd nowhere",
		"cd a b",
		"unmark **/hosts",
		"count",
		"frob",
		"",
		".messages",
		"pwd",
		".pwd",
		"markdir etc",
		"unmarkdir e*",
		"mark",
		"find",
		"done",
	)
	want := [][]string{
		{"\n", "etc/\n", "home/\n"}, // the nameless row of "/" sorts first
		{"cwd is: /etc/\n"},
		{"1 file newly marked.\n"},
		{"No files newly marked.\n"},
		{"*hosts\n", "passwd\n", "ssh/\n"},
		{"cwd is: /\n"},
		{"\n", "+etc/\n", "home/\n"},
		{"+etc/\n", "  *hosts\n"},
		{"10 total files/dirs. 1 marked to be restored.\n"},
		{"10 total files; 2 marked to be restored; 100 bytes.\n"},
		{"cwd is: /home/alice/\n"},
		{"2 files newly marked.\n"},
		{"1 file newly unmarked.\n"},
		{"cwd is: /\n"},
		{"+etc/\n", "  *hosts\n", "+home/\n", "  +alice/\n", "    *notes.txt\n"},
		{"*/home/alice/notes.txt\n", "*/etc/hosts\n"},
		{"drwxr-xr-x   1 0 (root) 0 (root)          4096  2023-11-14 22:13:20 + /etc/\n"},
		{"W:Invalid path given.\n", "cwd is: /\n"},
		{"E:Too few or too many arguments. Try using double quotes.\n"},
		{"1 file newly unmarked.\n"},
		{"10 total files/dirs. 1 marked to be restored.\n"},
		{"W:Invalid command \"frob\". Enter \"done\" to exit.\n"},
		{"W:Invalid command \"\". Enter \"done\" to exit.\n"},
		nil,
		{"cwd is: /\n"},
		{"/"},
		{"1 directory newly marked.\n"},
		{"1 directory newly unmarked.\n"},
		{"No files marked.\n"},
		{"No file specification given.\n"},
		nil,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestShellResults(t *testing.T) {
	tr := build(t, Options{}, sampleRows...)
	sh := &Shell{Tree: tr, Out: &recOut{}}
	for line, want := range map[string]Result{
		"done": Done, "exit": Done, "quit": Quit, "abort": Quit, "a": Quit, "q": Quit,
		"ls": Continue, "?": Continue, "h": Continue, "bogus": Invalid, "": Invalid, ".bogus": Ignored,
		"DONE": Done, "d": Continue, // "d" is delete, the first command it is a prefix of
	} {
		if got := sh.Exec(line, strings.Fields(line)); got != want {
			t.Errorf("Exec(%q) = %v, want %v", line, got, want)
		}
	}
}

func TestShellHelp(t *testing.T) {
	tr := build(t, Options{}, sampleRows...)
	sh := &Shell{Tree: tr, Out: &recOut{}}
	got := exec(sh, "help")[0]
	if len(got) != 22 || got[0] != "  Command    Description\n  =======    ===========\n" ||
		got[1] != "  abort      abort and do not do restore\n" || got[21] != "\n" ||
		got[20] != "  ?          print help\n" {
		t.Errorf("help:\n%q", got)
	}
}

// TestMarkStarStar checks "**" (any number of directories) and that it
// visits each directory once per component.
func TestMarkStarStar(t *testing.T) {
	var paths []string
	dir := "/"
	for i := range 30 {
		dir += fmt.Sprintf("d%d/", i)
		paths = append(paths, dir+"x", dir+"y")
	}
	tr := build(t, Options{}, rows(1, paths...)...)
	sh := &Shell{Tree: tr, Out: &recOut{}}
	got := exec(sh, "mark **/**/**/**/**/**/x", "unmark /**/y", "mark /d0/d1/**/x")
	want := [][]string{{"30 files newly marked.\n"}, {"No files newly unmarked.\n"}, {"No files newly marked.\n"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestUnmarkBigDirectory unmarks the files of a big directory and checks
// the directories' flags (BenchmarkUnmark measures the cost).
func TestUnmarkBigDirectory(t *testing.T) {
	var paths []string
	for i := range 50000 {
		paths = append(paths, fmt.Sprintf("/big/f%06d", i))
	}
	tr := build(t, Options{}, rows(1, paths...)...)
	sh := &Shell{Tree: tr, Out: &recOut{}}
	exec(sh, "mark big")
	sh.Cwd = tr.Root().Children()[0]
	sh.Exec("unmark f*", []string{"unmark", "f*"})
	if sh.Cwd.ExtractDescendant() {
		t.Error("descendant flag still set after unmarking every file")
	}
	if !tr.Root().ExtractDescendant() {
		t.Error("the root lost its flag although big/ itself is still marked")
	}
	sh.Exec("mark f00001*", []string{"mark", "f00001*"})
	if !tr.Root().Children()[0].ExtractDescendant() {
		t.Error("descendant flag not set")
	}
}

// BenchmarkUnmark marks and unmarks a directory of n files: linear in
// n (the Director's unmark passes over the siblings for every file).
func BenchmarkUnmark(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var paths []string
			for i := range n {
				paths = append(paths, fmt.Sprintf("/big/f%07d", i))
			}
			tr := New(Options{})
			for _, e := range rows(1, paths...) {
				tr.Insert(e)
			}
			tr.Finish()
			big := tr.Root().Children()[0]
			b.ResetTimer()
			for range b.N {
				tr.MarkElements(big, []string{"*"}, true)
				tr.MarkElements(big, []string{"*"}, false)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/file")
		})
	}
}

// BenchmarkBuild builds a tree of n files in one directory.
func BenchmarkBuild(b *testing.B) {
	const n = 100000
	es := make([]Entry, n)
	for i := range es {
		es[i] = Entry{Path: "/var/lib/bigdir/", Name: fmt.Sprintf("data-%07d.bin", i+1), JobID: 1, FileIndex: int32(i + 1), Stat: Stat{Mode: 0o100644, Size: 4096}}
	}
	b.ReportAllocs()
	for range b.N {
		tr := New(Options{})
		for _, e := range es {
			tr.Insert(e)
		}
		tr.Finish()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/file")
}

// checkCounts verifies the tree's bookkeeping: every node's count of
// marked children is the real one.
func checkCounts(t *testing.T, n *Node) {
	t.Helper()
	var marked int32
	for _, c := range n.children {
		if c.parent != n {
			t.Fatalf("%q: child %q has another parent", n.Path(), c.name)
		}
		if c.marked() {
			marked++
		}
		checkCounts(t, c)
	}
	if marked != n.nmarked {
		t.Fatalf("%q: %d marked children counted, %d real", n.Path(), n.nmarked, marked)
	}
}

// FuzzShell runs random "$" command lines on a small tree: nothing may
// panic, and the marks' bookkeeping stays exact.
func FuzzShell(f *testing.F) {
	for _, s := range []string{
		"ls\ncd /etc\nmark *\nunmark h*\nlsmark\ncount\nestimate",
		"mark **/x\nunmark /**\nfind *\ndir\n.dir\n.lsmark",
		"cd ..\ncd ../../..\ncd C:\nmarkdir *\nunmarkdir *\nhelp\n.help",
		"mark [\nmark [!]\nmark \\\\\ncd //\ncd /./.\ncd *\nmark //",
		"add /home/alice/*\ndelete *\nfind [a-z]*\n.lsdir\n.pwd\npwd\nexit",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script string) {
		if len(script) > 4000 {
			return
		}
		entries := append(rows(1, "C:/w/x", "C:/w/", "C:/"), sampleRows...)
		entries = append(entries, Entry{Path: "/etc/", Name: "hosts", JobID: 2, FileIndex: 1, Stat: Stat{Nlink: 2}},
			Entry{Path: "/etc/", Name: "link", JobID: 2, FileIndex: 2, Stat: Stat{Nlink: 2, LinkFI: 1}})
		tr := build(t, Options{}, entries...)
		sh := &Shell{Tree: tr, Out: &recOut{}, Location: time.UTC}
		for _, line := range strings.Split(script, "\n") {
			res := sh.Exec(line, strings.Fields(line))
			if res == Done || res == Quit {
				break
			}
			checkCounts(t, tr.Root())
		}
	})
}
