package uacontext

import (
	"context"
	"sync"

	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/internal/ascii"
)

// null is the C NULL pointer for nullable strings (see formatter.Null).
const null = formatter.Null

// HandlerFunc runs one console command. It reads the command line from
// ua (ua.Args, ua.Cmd), produces output through ua.Formatter() and the messaging
// methods, and returns nil on success or the error that failed the
// command.
//
// The dispatcher (UA.Dispatch) turns a nil error into BNET_CMD_OK and the
// JSON result, and an error into its console message (an error message,
// see Dispatch), BNET_CMD_FAILED and in mode 2 the error envelope; it
// also logs it. Return a CommandError (Errorf) for a message in the
// Director's exact words, a NotFoundError (NotFound) when a named item
// does not exist, ErrReported when the handler has already printed its
// error, and any other error (wrapped with context) for failures of the
// catalog or other back ends.
//
// ctx ends when the console disconnects or abandons the command, or when
// the server closes the connection (Server.Close, or Server.Shutdown once
// its grace has run out) — not when a graceful shutdown begins, so a
// running command can finish its answer. Pass ctx to every call that may
// block; a handler whose ctx ended should return ctx.Err() (or an error
// wrapping it) promptly.
type HandlerFunc func(ctx context.Context, ua *UA) error

// Command is one entry of a command table.
//
// Help and Usage are the description and the argument synopsis shown by
// help and .help; formatter.Null stands for the Director's NULL (no text),
// which prints like "" except that SendCmdUsage adds no USAGE line for a
// Null Usage.
type Command struct {
	Name    string      // command keyword, matched by case-insensitive prefix
	Help    string      // description ("description" in .help)
	Usage   string      // argument synopsis ("arguments" in .help)
	Handler HandlerFunc // nil: listed in help, but dispatching it is an invalid command

	// RunScript and Audit mirror the Director table's flags (allowed in
	// a job's RunScript; command is audited). Consoles do not use them.
	RunScript bool
	Audit     bool
}

// IsDot reports whether c is a dot command (name starting with '.'), the
// machine-oriented commands that help and ".help all" leave out.
func (c Command) IsDot() bool { return len(c.Name) > 0 && c.Name[0] == '.' }

// refEntry is one row of referenceTable.
type refEntry struct {
	name, help, usage string
	runScript, audit  bool
}

// refRank maps reference command names to their table position.
var refRank = func() map[string]int {
	m := make(map[string]int, len(referenceTable))
	for i, e := range referenceTable {
		m[e.name] = i
	}
	return m
}()

// ReferenceCommands returns the 88 entries of the Bareos Director's
// command table in the Director's order, with their descriptions, usage
// strings and flags but without handlers. Adding them to a table makes
// prefix lookup and help listings cover the whole Director command set;
// entries without a handler answer "<word>: is an invalid command." when
// dispatched. The usage of "configure", which the Director builds from its
// resource tables, is empty.
func ReferenceCommands() []Command {
	cmds := make([]Command, len(referenceTable))
	for i, e := range referenceTable {
		cmds[i] = Command{Name: e.name, Help: e.help, Usage: e.usage, RunScript: e.runScript, Audit: e.audit}
	}
	return cmds
}

// Reference returns the Director's table entry for name (exact match),
// without a handler, so that embedders can fill in help texts:
//
//	cmd, _ := uacontext.Reference("list")
//	cmd.Handler = myList
func Reference(name string) (Command, bool) {
	i, ok := refRank[name]
	if !ok {
		return Command{}, false
	}
	e := referenceTable[i]
	return Command{Name: e.name, Help: e.help, Usage: e.usage, RunScript: e.runScript, Audit: e.audit}, true
}

// Table is an ordered command table. The order decides prefix matching
// (the first entry whose name starts with the typed word wins) and the
// order of help listings.
//
// Commands whose names appear in the Director's table (ReferenceCommands)
// are kept in the Director's order wherever they are added, so that "q"
// finds quit before query as in the Director; other commands follow in
// the order they were added. A Table is safe for concurrent use.
type Table struct {
	mu   sync.RWMutex
	cmds []Command
}

// NewTable returns a table holding cmds (see Add).
func NewTable(cmds ...Command) *Table {
	t := &Table{}
	t.Add(cmds...)
	return t
}

// DefaultTable returns a new table holding the built-in commands
// (Builtins).
func DefaultTable() *Table { return NewTable(Builtins()...) }

// Add inserts commands. A command whose name is already in the table
// replaces the existing entry, except that a command without a handler
// never replaces one with a handler (so ReferenceCommands can be added
// before or after the real commands). Commands with an empty name are
// ignored.
func (t *Table) Add(cmds ...Command) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range cmds {
		if c.Name == "" {
			continue
		}
		if i := t.index(c.Name); i >= 0 {
			if c.Handler != nil || t.cmds[i].Handler == nil {
				t.cmds[i] = c
			}
			continue
		}
		pos := len(t.cmds)
		if r, ok := refRank[c.Name]; ok {
			for i, e := range t.cmds {
				if er, ok := refRank[e.Name]; !ok || er > r {
					pos = i
					break
				}
			}
		}
		t.cmds = append(t.cmds, Command{})
		copy(t.cmds[pos+1:], t.cmds[pos:])
		t.cmds[pos] = c
	}
}

// Remove deletes the command with exactly this name, if present.
func (t *Table) Remove(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if i := t.index(name); i >= 0 {
		t.cmds = append(t.cmds[:i], t.cmds[i+1:]...)
	}
}

func (t *Table) index(name string) int {
	for i, c := range t.cmds {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Lookup finds the command for a typed command word the way the Director
// does: the first entry in table order of which word is an ASCII
// case-insensitive prefix ("ver" finds "version"). As in the Director, an
// empty word (a line starting with '=') finds the first entry. Lookup does
// not check ACLs.
func (t *Table) Lookup(word string) (Command, bool) {
	if t == nil {
		return Command{}, false
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	for _, c := range t.cmds {
		if ascii.HasPrefixFold(c.Name, word) {
			return c, true
		}
	}
	return Command{}, false
}

// Get returns the command named exactly name (case-sensitive).
func (t *Table) Get(name string) (Command, bool) {
	if t == nil {
		return Command{}, false
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	if i := t.index(name); i >= 0 {
		return t.cmds[i], true
	}
	return Command{}, false
}

// Commands returns a copy of the table's entries in order.
func (t *Table) Commands() []Command {
	if t == nil {
		return nil
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	return append([]Command(nil), t.cmds...)
}

// Len returns the number of entries.
func (t *Table) Len() int {
	if t == nil {
		return 0
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.cmds)
}
