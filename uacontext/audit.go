package uacontext

import (
	"context"

	"github.com/uaformat/uaformat/internal/ascii"
	"github.com/uaformat/uaformat/internal/logbound"
)

// Audit configures the Director's auditing of console commands, the
// "Auditing" and "Audit Events" directives of its Director resource. The
// zero value is the Director's default: auditing off, and then no
// ordinary command line reaches the log at all (a console's commands are
// logged at debug level only).
//
// With auditing on, the session's log gets an "audit: cmdline" record
// for every command it runs whose table entry has Command.Audit set (the
// Director's table marks the commands that change or reveal something;
// the dot commands of the API are not audited), and an "audit: acl
// failure" record for every command its Command ACL denies. Audit records
// are never dropped by the session's log rate limit; like every value in
// the server's logs, the command line is cut to a bounded prefix, and
// values of "password" keywords are masked.
type Audit struct {
	// Enabled is "Auditing = yes".
	Enabled bool
	// Events is "Audit Events": when not empty, only commands typed with
	// one of these words (ASCII case-insensitively; "list" but not
	// "li") are audited.
	Events []string
}

// wanted is the Director's AuditEventWanted for a command typed as word
// whose table entry is cmd.
func (a *Audit) wanted(word string, cmd Command) bool {
	if !a.Enabled || !cmd.Audit {
		return false
	}
	if len(a.Events) == 0 {
		return true
	}
	for _, e := range a.Events {
		if ascii.EqualFold(e, word) {
			return true
		}
	}
	return false
}

// auditName is the console name of audit records: the console's (or
// PAM user's) name, "default" for the default console, as the
// Director's records say.
func (ua *UA) auditName() string {
	if ua.Console == nil {
		return "default"
	}
	return ua.Console.Name
}

// auditCmdline records the command line being run, if audited.
func (ua *UA) auditCmdline(cmd Command) {
	if !ua.audit.wanted(ua.Args[0].Key, cmd) {
		return
	}
	ua.Log.InfoContext(logbound.Always(context.Background()), "audit: cmdline",
		ua.auditAttrs("cmdline", redactedLine(ua.Args))...)
}

// auditACLFailure records a command the Command ACL denied.
func (ua *UA) auditACLFailure(name string) {
	if !ua.audit.Enabled {
		ua.Log.Debug("command denied by ACL", "command", name)
		return
	}
	ua.Log.InfoContext(logbound.Always(context.Background()), "audit: acl failure",
		ua.auditAttrs("acl", "for Command", "item", name)...)
}

// auditAttrs are the attributes of an audit record: the console and its
// address, unless the session's logger has them already (a Server's
// does), then attrs.
func (ua *UA) auditAttrs(attrs ...any) []any {
	if ua.sessionLog {
		return attrs
	}
	return append([]any{"console", ua.auditName(), "from", ua.remote}, attrs...)
}
