package restoretree

import (
	"strconv"
	"time"

	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/internal/ascii"
)

// Output receives the answers of the "$" commands. Each call is one
// message of the Director (one packet in the text modes). The format
// strings follow formatter.Sprintf.
type Output interface {
	SendMsg(format string, args ...any)
	WarningMsg(format string, args ...any)
	ErrorMsg(format string, args ...any)
}

// Result tells the caller of Shell.Exec how the command line went.
type Result int

// The results of Exec.
const (
	// Continue: a command ran; ask for the next one (API modes:
	// BNET_CMD_OK).
	Continue Result = iota
	// Invalid: no command or an unknown one; the warning was sent (API
	// modes: BNET_CMD_FAILED).
	Invalid
	// Ignored: an unknown dot command, silently ignored (no CMD_OK or
	// CMD_FAILED follows).
	Ignored
	// Done: leave file selection and go on with the restore (done,
	// exit).
	Done
	// Quit: leave file selection and abandon the restore (quit, abort).
	Quit
)

// Shell executes the "$" commands of the Director's file selection mode
// on a finished tree.
type Shell struct {
	Tree *Tree
	// Cwd is the current directory; nil is the root.
	Cwd *Node
	Out Output
	// API is set when the console is in an API mode: pwd and cd then
	// print the bare path.
	API bool
	// UserName and GroupName give the names dir shows for numeric
	// owners; nil shows "root" for 0 and the number otherwise.
	UserName, GroupName func(id uint32) string
	// Location is the time zone of dir's times; nil is time.Local.
	Location *time.Location
}

type command struct {
	key  string
	run  func(s *Shell, args []string) Result
	help string
}

// commands is the Director's table, in its order: a typed word selects
// the first command it is a prefix of (ASCII case-insensitively).
var commands []command

func init() {
	commands = []command{
		{"abort", (*Shell).quit, "abort and do not do restore"},
		{"add", (*Shell).mark, "add dir/file to be restored recursively, wildcards allowed"},
		{"cd", (*Shell).cd, "change current directory"},
		{"count", (*Shell).count, "count marked files in and below the cd"},
		{"delete", (*Shell).unmark, "delete dir/file to be restored recursively in dir"},
		{"dir", (*Shell).dir, "long list current directory, wildcards allowed"},
		{".dir", (*Shell).dotDir, "long list current directory, wildcards allowed"},
		{"done", (*Shell).done, "leave file selection mode"},
		{"estimate", (*Shell).estimate, "estimate restore size"},
		{"exit", (*Shell).done, "same as done command"},
		{"find", (*Shell).find, "find files, wildcards allowed"},
		{"help", (*Shell).help, "print help"},
		{"ls", (*Shell).ls, "list current directory, wildcards allowed"},
		{".ls", (*Shell).dotLs, "list current directory, wildcards allowed"},
		{".lsdir", (*Shell).dotLsdir, "list subdir in current directory, wildcards allowed"},
		{"lsmark", (*Shell).lsmark, "list the marked files in and below the cd"},
		{".lsmark", (*Shell).dotLsmark, "list the marked files in"},
		{"mark", (*Shell).mark, "mark dir/file to be restored recursively, wildcards allowed"},
		{"markdir", (*Shell).markdir, "mark directory name to be restored (no files)"},
		{"pwd", (*Shell).pwd, "print current working directory"},
		{".pwd", (*Shell).dotPwd, "print current working directory"},
		{"unmark", (*Shell).unmark, "unmark dir/file to be restored recursively in dir"},
		{"unmarkdir", (*Shell).unmarkdir, "unmark directory name only no recursion"},
		{"quit", (*Shell).quit, "quit and do not do restore"},
		{".help", (*Shell).dotHelp, "print help"},
		{"?", (*Shell).help, "print help"},
	}
}

// lookup returns the command a typed word selects, nil if none.
func lookup(word string) *command {
	for i := range commands {
		c := &commands[i]
		if ascii.HasPrefixFold(c.key, word) {
			return c
		}
	}
	return nil
}

// Exec runs one command line. line is the answer as received (trailing
// blanks removed), args its words as the Director's ParseArgsOnly splits
// them (uacontext.ParseArgsOnly).
func (s *Shell) Exec(line string, args []string) Result {
	if s.Cwd == nil {
		s.Cwd = s.Tree.Root()
	}
	if len(args) == 0 {
		s.Out.WarningMsg("Invalid command \"%s\". Enter \"done\" to exit.\n", line)
		return Invalid
	}
	c := lookup(args[0])
	if c == nil {
		if args[0][0] == '.' {
			return Ignored // probably .messages
		}
		s.Out.WarningMsg("Invalid command \"%s\". Enter \"done\" to exit.\n", line)
		return Invalid
	}
	return c.run(s, args)
}

func (s *Shell) send(text string) { s.Out.SendMsg("%s", text) }

// tag is the mark shown before a name: "*" marked, "+" something below
// marked, else none.
func tag(n *Node, none string) string {
	switch {
	case n.Extract():
		return "*"
	case n.ExtractDescendant():
		return "+"
	}
	return none
}

func slashIfDir(n *Node) string {
	if n.HasChildren() {
		return "/"
	}
	return ""
}

// commas renders n with thousands separators (edit_uint64_with_commas).
func commas(n uint64) string {
	s := strconv.FormatUint(n, 10)
	if len(s) <= 3 {
		return s
	}
	b := make([]byte, 0, len(s)+len(s)/3)
	pre := len(s) % 3
	if pre > 0 {
		b = append(b, s[:pre]...)
	}
	for i := pre; i < len(s); i += 3 {
		if len(b) > 0 {
			b = append(b, ',')
		}
		b = append(b, s[i:i+3]...)
	}
	return string(b)
}

func (s *Shell) mark(args []string) Result {
	if len(args) < 2 || !s.Cwd.HasChildren() {
		s.send("No files marked.\n")
		return Continue
	}
	switch n := s.Tree.MarkElements(s.Cwd, args[1:], true); n {
	case 0:
		s.send("No files newly marked.\n")
	case 1:
		s.send("1 file newly marked.\n")
	default:
		s.Out.SendMsg("%s files newly marked.\n", commas(uint64(n)))
	}
	return Continue
}

func (s *Shell) unmark(args []string) Result {
	if len(args) < 2 || !s.Cwd.HasChildren() {
		s.send("No files newly unmarked.\n")
		return Continue
	}
	switch n := s.Tree.MarkElements(s.Cwd, args[1:], false); n {
	case 0:
		s.send("No files newly unmarked.\n")
	case 1:
		s.send("1 file newly unmarked.\n")
	default:
		s.Out.SendMsg("%s files newly unmarked.\n", commas(uint64(n)))
	}
	return Continue
}

// markDirs sets the mark of the matching directories in cwd only.
func (s *Shell) markDirs(args []string, extract bool) int {
	count := 0
	for _, a := range args[1:] {
		pat := Compile(stripTrailingSlash(a))
		for _, c := range s.Cwd.children {
			if pat.Match(c.name) && (c.typ == TypeDir || c.typ == TypeDirWin) {
				setFlag(c, fExtract, extract)
				count++
			}
		}
	}
	return count
}

func (s *Shell) markdir(args []string) Result {
	if len(args) < 2 || !s.Cwd.HasChildren() {
		s.send("No directories marked.\n")
		return Continue
	}
	switch n := s.markDirs(args, true); n {
	case 0:
		s.send("No directories newly marked.\n")
	case 1:
		s.send("1 directory newly marked.\n")
	default:
		s.Out.SendMsg("%s directories newly marked.\n", commas(uint64(n)))
	}
	return Continue
}

func (s *Shell) unmarkdir(args []string) Result {
	if len(args) < 2 || !s.Cwd.HasChildren() {
		s.send("No directories newly unmarked.\n")
		return Continue
	}
	switch n := s.markDirs(args, false); n {
	case 0:
		s.send("No directories newly unmarked.\n")
	case 1:
		s.send("1 directory newly unmarked.\n")
	default:
		s.Out.SendMsg("%d directories newly unmarked.\n", n)
	}
	return Continue
}

func (s *Shell) count([]string) Result {
	total, marked := 0, 0
	s.Tree.Each(func(n *Node) bool {
		if n.typ != TypeNewDir {
			total++
			if n.Extract() {
				marked++
			}
		}
		return true
	})
	s.Out.SendMsg("%s total files/dirs. %s marked to be restored.\n", commas(uint64(total)), commas(uint64(marked)))
	return Continue
}

func (s *Shell) find(args []string) Result {
	if len(args) == 1 {
		s.send("No file specification given.\n")
		return Continue
	}
	var buf []byte
	for _, a := range args[1:] {
		pat := Compile(a)
		s.Tree.Each(func(n *Node) bool {
			if pat.Match(n.name) {
				buf = append(buf[:0], tag(n, "")...)
				buf = n.AppendPath(buf)
				buf = append(buf, '\n')
				s.send(string(buf))
			}
			return true
		})
	}
	return Continue
}

// eachMatch calls fn for the children of cwd that match the optional
// pattern argument.
func (s *Shell) eachMatch(args []string, fn func(*Node)) {
	var pat *Pattern
	if len(args) > 1 {
		p := Compile(args[1])
		pat = &p
	}
	for _, c := range s.Cwd.children {
		if pat == nil || pat.Match(c.name) {
			fn(c)
		}
	}
}

func (s *Shell) ls(args []string) Result {
	s.eachMatch(args, func(n *Node) {
		s.send(tag(n, "") + n.name + slashIfDir(n) + "\n")
	})
	return Continue
}

func (s *Shell) dotLs(args []string) Result {
	s.eachMatch(args, func(n *Node) { s.send(n.name + slashIfDir(n) + "\n") })
	return Continue
}

func (s *Shell) dotLsdir(args []string) Result {
	s.eachMatch(args, func(n *Node) {
		if n.HasChildren() {
			s.send(n.name + "/\n")
		}
	})
	return Continue
}

func (s *Shell) dotLsmark(args []string) Result {
	s.eachMatch(args, func(n *Node) {
		if n.Extract() {
			s.send(n.name + slashIfDir(n) + "\n")
		}
	})
	return Continue
}

func (s *Shell) lsmark(args []string) Result {
	var pat *Pattern
	if len(args) > 1 {
		p := Compile(args[1])
		pat = &p
	}
	s.rlsmark(pat, s.Cwd, 0)
	return Continue
}

// rlsmark lists the marked nodes below n recursively, indented two
// blanks per level (at most 100 levels of indentation).
func (s *Shell) rlsmark(pat *Pattern, n *Node, level int) {
	const maxLevel = 100
	indent := make([]byte, 2*min(level, maxLevel))
	for i := range indent {
		indent[i] = ' '
	}
	for _, c := range n.children {
		if (pat == nil || pat.Match(c.name)) && c.marked() {
			s.send(string(indent) + tag(c, "") + c.name + slashIfDir(c) + "\n")
			if c.HasChildren() {
				s.rlsmark(pat, c, level+1)
			}
		}
	}
}

func (s *Shell) userName(id uint32) string {
	if s.UserName != nil {
		return s.UserName(id)
	}
	if id == 0 {
		return "root"
	}
	return strconv.FormatUint(uint64(id), 10)
}

func (s *Shell) groupName(id uint32) string {
	if s.GroupName != nil {
		return s.GroupName(id)
	}
	if id == 0 {
		return "root"
	}
	return strconv.FormatUint(uint64(id), 10)
}

// EncodeMode renders file mode bits like ls -l ("drwxr-xr-x"), the
// Director's encode_mode.
func EncodeMode(mode uint32) string {
	b := []byte("----------")
	switch mode & modeType {
	case 0o040000:
		b[0] = 'd'
	case 0o060000:
		b[0] = 'b'
	case 0o020000:
		b[0] = 'c'
	case modeLink:
		b[0] = 'l'
	case 0o010000:
		b[0] = 'f'
	case 0o140000:
		b[0] = 's'
	}
	rwx := func(i int, r, w, x, special uint32, set, unset byte) {
		if mode&r != 0 {
			b[i] = 'r'
		}
		if mode&w != 0 {
			b[i+1] = 'w'
		}
		switch {
		case mode&special != 0 && mode&x != 0:
			b[i+2] = set
		case mode&special != 0:
			b[i+2] = unset
		case mode&x != 0:
			b[i+2] = 'x'
		}
	}
	rwx(1, 0o400, 0o200, 0o100, 0o4000, 's', 'S')
	rwx(4, 0o040, 0o020, 0o010, 0o2000, 's', 'S')
	rwx(7, 0o004, 0o002, 0o001, 0o1000, 't', 'T')
	return string(b)
}

func (s *Shell) encodeTime(t int64) string {
	loc := s.Location
	if loc == nil {
		loc = time.Local
	}
	return time.Unix(t, 0).In(loc).Format("2006-01-02 15:04:05")
}

func (s *Shell) doDir(args []string, dot bool) Result {
	if !s.Cwd.HasChildren() {
		s.Out.SendMsg("Node %s has no children.\n", s.Cwd.name)
		return Continue
	}
	s.eachMatch(args, func(n *Node) {
		t := tag(n, " ")
		path := n.Path()
		st, _ := n.Stat()
		mode := EncodeMode(st.Mode)
		size := strconv.FormatInt(st.Size, 10)
		if dot {
			s.send(formatter.Sprintf("%s,%u,%u(%s),%u(%s),%s,%s,%c,%s", mode, st.Nlink, st.UID, s.userName(st.UID),
				st.GID, s.groupName(st.GID), size, s.encodeTime(st.Mtime), t[0], path) + "\n")
			return
		}
		tm := max(st.Ctime, st.Mtime)
		s.send(formatter.Sprintf("%s  %2u %u (%-.8s) %u (%-.8s)  %12.12s  %s %c %s", mode, st.Nlink, st.UID, s.userName(st.UID),
			st.GID, s.groupName(st.GID), size, s.encodeTime(tm), t[0], path) + "\n")
	})
	return Continue
}

func (s *Shell) dir(args []string) Result    { return s.doDir(args, false) }
func (s *Shell) dotDir(args []string) Result { return s.doDir(args, true) }

func (s *Shell) estimate([]string) Result {
	total, marked := 0, 0
	var bytes uint64
	s.Tree.Each(func(n *Node) bool {
		if n.typ == TypeNewDir {
			return true
		}
		total++
		switch {
		case n.Extract() && n.typ == TypeFile:
			marked++
			if st, ok := n.Stat(); ok && st.Mode&modeType == modeReg && st.Size > 0 {
				bytes += uint64(st.Size)
			}
		case n.Extract() || n.ExtractDescendant():
			marked++
		}
		return true
	})
	s.Out.SendMsg("%d total files; %d marked to be restored; %s bytes.\n", total, marked, commas(bytes))
	return Continue
}

func (s *Shell) help([]string) Result {
	s.send("  Command    Description\n  =======    ===========\n")
	for _, c := range commands {
		if c.key[0] != '.' {
			s.Out.SendMsg("  %-10s %s\n", c.key, c.help)
		}
	}
	s.send("\n")
	return Continue
}

func (s *Shell) dotHelp([]string) Result {
	for _, c := range commands {
		if c.key[0] != '.' {
			s.send(c.key + "\n")
		}
	}
	return Continue
}

func (s *Shell) cd(args []string) Result {
	if len(args) != 2 {
		s.Out.ErrorMsg("Too few or too many arguments. Try using double quotes.\n")
		return Continue
	}
	node := s.Tree.Cwd(args[1], s.Cwd)
	if node == nil && len(args[1]) > 1 && args[1][1] == ':' {
		node = s.Tree.Cwd("/"+args[1], s.Cwd) // a Windows drive: make it absolute
	}
	if node == nil {
		s.Out.WarningMsg("Invalid path given.\n")
	} else {
		s.Cwd = node
	}
	return s.pwd(nil)
}

func (s *Shell) pwd([]string) Result {
	if s.API {
		s.send(s.Cwd.Path())
	} else {
		s.Out.SendMsg("cwd is: %s\n", s.Cwd.Path())
	}
	return Continue
}

func (s *Shell) dotPwd([]string) Result {
	s.send(s.Cwd.Path())
	return Continue
}

func (s *Shell) done([]string) Result { return Done }
func (s *Shell) quit([]string) Result { return Quit }
