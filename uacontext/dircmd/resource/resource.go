package resource

import (
	"errors"
	"fmt"
	"github.com/uaformat/uaformat/internal/ascii"
	"math"
	"slices"
	"strings"
	"time"
)

// Errors returned (wrapped) by Resource.Set.
var (
	// ErrUnknownDirective: the resource type has no directive of that
	// name.
	ErrUnknownDirective = errors.New("resource: unknown directive")
	// ErrBadValue: the value does not fit the directive (wrong Go type,
	// out of range, not one of the directive's keywords).
	ErrBadValue = errors.New("resource: bad value")
)

// Password is the value of a password directive: the text as configured,
// either a clear-text password or (MD5 true) the hex MD5 digest written
// as "[md5]<digest>" in the configuration.
type Password struct {
	Value string
	MD5   bool
}

// Address is one entry of the Director's Addresses directive.
type Address struct {
	Family string // "ipv4" or "ipv6"
	Addr   string // e.g. "0.0.0.0"
	Port   int
}

// When tells when a RunScript runs.
type When int

// The RunScript times.
const (
	Never    When = iota // the default of a RunScript block
	Before               // before the job
	After                // after the job
	AfterVSS             // after the VSS snapshot (Windows clients)
	Always               // before and after
)

// RunScript is a script a job runs: a RunScript { } block or one of the
// short forms (RunBeforeJob = ..., RunAfterJob = ..., ClientRunBeforeJob
// = ..., ClientRunAfterJob = ..., RunAfterFailedJob = ...).
type RunScript struct {
	// Short is the directive of a short form ("RunBeforeJob", ...); ""
	// for a RunScript block.
	Short string
	// Command is the command line (or the console command if Console).
	Command string
	// Console makes Command a Director console command ("Console =")
	// instead of a program ("Command =").
	Console bool
	// When, FailJobOnError, RunsOnSuccess, RunsOnFailure and RunsOnClient
	// are the block's settings; NewRunScript fills in the Director's
	// defaults.
	When           When
	FailJobOnError bool
	RunsOnSuccess  bool
	RunsOnFailure  bool
	RunsOnClient   bool

	fromJobDefs bool
}

// NewRunScript returns a RunScript block with the Director's defaults
// (runs never, fails the job on error, runs on success, on the client).
func NewRunScript(command string) RunScript {
	return RunScript{Command: command, FailJobOnError: true, RunsOnSuccess: true, RunsOnClient: true}
}

// ShortRunScript returns the RunScript of a short-form directive
// ("RunBeforeJob", "RunAfterJob", "RunAfterFailedJob",
// "ClientRunBeforeJob" or "ClientRunAfterJob") with the settings the
// Director gives it.
func ShortRunScript(directive, command string) (RunScript, error) {
	rs := RunScript{Short: directive, Command: command, RunsOnSuccess: true}
	switch normName(directive) {
	case "runbeforejob":
		rs.Short, rs.When, rs.FailJobOnError = "RunBeforeJob", Before, true
	case "runafterjob":
		rs.Short, rs.When = "RunAfterJob", After
	case "runafterfailedjob":
		rs.Short, rs.When, rs.RunsOnSuccess, rs.RunsOnFailure = "RunAfterFailedJob", After, false, true
	case "clientrunbeforejob":
		rs.Short, rs.When, rs.FailJobOnError, rs.RunsOnClient = "ClientRunBeforeJob", Before, true, true
	case "clientrunafterjob":
		rs.Short, rs.When, rs.RunsOnClient = "ClientRunAfterJob", After, true
	default:
		return RunScript{}, fmt.Errorf("%w: %q is not a short RunScript directive", ErrUnknownDirective, directive)
	}
	return rs, nil
}

// value is the state of one directive of a resource.
type value struct {
	set       bool // set explicitly in this resource
	inherited bool // taken over from the JobDefs (or implied by the Director)
	v         any
}

// Resource is one configuration resource: its type, its name and the
// directives set in it. The zero value is not usable; use New.
type Resource struct {
	typ      Type
	name     string
	internal bool
	vals     []value

	include, exclude []IncludeExclude
	dests            []Destination
}

// New returns an empty resource of type t named name. A resource of an
// invalid type has no directives: Set fails and Print prints nothing.
func New(t Type, name string) *Resource {
	r := &Resource{typ: t, name: name}
	if !t.Valid() {
		return r
	}
	r.vals = make([]value, len(schemas[t]))
	if i := lookupItem(t, "Name"); i >= 0 {
		r.vals[i] = value{set: true, v: name}
	}
	return r
}

// Type returns the resource type.
func (r *Resource) Type() Type { return r.typ }

// Name returns the resource name.
func (r *Resource) Name() string { return r.name }

// SetInternal marks the resource as one the Director creates itself,
// like the default console "*UserAgent*": show leaves it out, and
// verbose shows all of it as comments.
func (r *Resource) SetInternal(internal bool) { r.internal = internal }

// Internal reports whether the resource is internal.
func (r *Resource) Internal() bool { return r.internal }

// Set sets a directive (name or alias, case and blanks ignored). The Go
// type of v depends on the directive:
//
//   - strings, resource names, keywords (Type, Level, Replace,
//     PoolType, ...): string (keywords are checked and stored in the
//     Director's spelling);
//   - numbers: int, int32, int64, uint32 or uint64;
//   - sizes and speeds: any integer type (bytes);
//   - times: time.Duration or an integer number of seconds;
//   - yes/no: bool;
//   - lists (Storage, Run of a Job, ACLs, Device, TlsAllowedCn, ...):
//     []string;
//   - passwords: Password or string (clear text);
//   - Addresses: []Address;
//   - RunScript: []RunScript, appended; the short forms (RunBeforeJob,
//     ...): string, appended as a RunScript;
//   - Run of a Schedule: []Run;
//   - Include and Exclude of a FileSet: []IncludeExclude.
//
// Setting a directive twice replaces the value, except for RunScripts,
// which accumulate in order as in a configuration file.
func (r *Resource) Set(directive string, v any) error {
	i := lookupItem(r.typ, directive)
	if i < 0 {
		return fmt.Errorf("%w: %s has no directive %q", ErrUnknownDirective, r.typ, directive)
	}
	it := &schemas[r.typ][i]
	bad := func(why string) error {
		return fmt.Errorf("%w: %s %s: %s", ErrBadValue, r.typ, it.name, why)
	}
	switch it.kind {
	case kName:
		s, ok := v.(string)
		if !ok {
			return bad(fmt.Sprintf("want string, got %T", v))
		}
		r.name = s
		r.vals[i] = value{set: true, v: s}
	case kStr, kStdStr, kDirOrCmd, kRes:
		s, ok := v.(string)
		if !ok {
			return bad(fmt.Sprintf("want string, got %T", v))
		}
		r.vals[i] = value{set: true, v: s}
	case kPassword:
		switch p := v.(type) {
		case Password:
			r.vals[i] = value{set: true, v: p}
		case string:
			r.vals[i] = value{set: true, v: Password{Value: p}}
		default:
			return bad(fmt.Sprintf("want Password or string, got %T", v))
		}
	case kResList, kStrList, kACL, kAudit, kDevice:
		l, ok := v.([]string)
		if !ok {
			return bad(fmt.Sprintf("want []string, got %T", v))
		}
		r.vals[i] = value{set: true, v: slices.Clone(l)}
	case kInt32, kInt64, kPint32, kSpeed, kSize64, kSize32:
		n, ok := toInt64(v)
		if !ok {
			return bad(fmt.Sprintf("want an integer, got %T", v))
		}
		if err := checkRange(it.kind, n); err != nil {
			return bad(err.Error())
		}
		r.vals[i] = value{set: true, v: n}
	case kTime:
		var secs int64
		switch d := v.(type) {
		case time.Duration:
			secs = int64(d / time.Second)
		default:
			n, ok := toInt64(v)
			if !ok {
				return bad(fmt.Sprintf("want time.Duration or seconds, got %T", v))
			}
			secs = n
		}
		if secs < 0 {
			return bad("negative time")
		}
		r.vals[i] = value{set: true, v: secs}
	case kBool, kBit:
		b, ok := v.(bool)
		if !ok {
			return bad(fmt.Sprintf("want bool, got %T", v))
		}
		r.vals[i] = value{set: true, v: b}
	case kLabel, kKeyword, kJobType, kLevel, kMigType:
		s, ok := v.(string)
		if !ok {
			return bad(fmt.Sprintf("want string, got %T", v))
		}
		k := keywordOf(it.keywords, s)
		if k == "" {
			return bad(fmt.Sprintf("%q is not one of %s", s, strings.Join(it.keywords, ", ")))
		}
		r.vals[i] = value{set: true, v: k}
	case kAddresses:
		a, ok := v.([]Address)
		if !ok {
			return bad(fmt.Sprintf("want []Address, got %T", v))
		}
		r.vals[i] = value{set: true, v: slices.Clone(a)}
	case kAddrPart:
		return bad("set Addresses instead")
	case kRunScript:
		l, ok := v.([]RunScript)
		if !ok {
			return bad(fmt.Sprintf("want []RunScript, got %T", v))
		}
		r.appendRunScripts(l...)
	case kShortRunScript:
		s, ok := v.(string)
		if !ok {
			return bad(fmt.Sprintf("want string, got %T", v))
		}
		rs, err := ShortRunScript(it.name, s)
		if err != nil {
			return err
		}
		r.appendRunScripts(rs)
	case kRun:
		l, ok := v.([]Run)
		if !ok {
			return bad(fmt.Sprintf("want []Run, got %T", v))
		}
		for _, run := range l {
			if err := run.validate(); err != nil {
				return bad(err.Error())
			}
		}
		r.vals[i] = value{set: true, v: slices.Clone(l)}
	case kIncExc:
		l, ok := v.([]IncludeExclude)
		if !ok {
			return bad(fmt.Sprintf("want []IncludeExclude, got %T", v))
		}
		if it.code == 0 {
			r.include = slices.Clone(l)
		} else {
			r.exclude = slices.Clone(l)
		}
	default:
		return bad("not settable")
	}
	return nil
}

func (r *Resource) appendRunScripts(l ...RunScript) {
	i := lookupItem(r.typ, "RunScript")
	cur, _ := r.vals[i].v.([]RunScript)
	r.vals[i] = value{set: true, v: append(slices.Clone(cur), l...)}
}

// IsSet reports whether the directive was set explicitly in this
// resource.
func (r *Resource) IsSet(directive string) bool {
	i := lookupItem(r.typ, directive)
	return i >= 0 && r.vals[i].set
}

// Value returns the effective value of a directive (set, inherited from
// the JobDefs, or the default) in the Go type Set takes for it (times
// and sizes as int64 seconds and bytes; lists as []string); nil for an
// unset directive without a default or an unknown directive.
func (r *Resource) Value(directive string) any {
	i := lookupItem(r.typ, directive)
	if i < 0 {
		return nil
	}
	v, _ := r.effective(i)
	return v
}

// String returns the effective value of a string, resource-name or
// keyword directive ("" if it has none).
func (r *Resource) String(directive string) string {
	s, _ := r.Value(directive).(string)
	return s
}

// Bool returns the effective value of a yes/no directive.
func (r *Resource) Bool(directive string) bool {
	b, _ := r.Value(directive).(bool)
	return b
}

// Int returns the effective value of a number, size or time directive
// (seconds for times).
func (r *Resource) Int(directive string) int64 {
	n, _ := r.Value(directive).(int64)
	return n
}

// List returns the effective value of a list directive.
func (r *Resource) List(directive string) []string {
	l, _ := r.Value(directive).([]string)
	return slices.Clone(l)
}

// RunScripts returns the resource's RunScripts, its own first, then
// those of its JobDefs.
func (r *Resource) RunScripts() []RunScript {
	i := lookupItem(r.typ, "RunScript")
	if i < 0 {
		return nil
	}
	l, _ := r.vals[i].v.([]RunScript)
	return slices.Clone(l)
}

// Runs returns the runs of a Schedule.
func (r *Resource) Runs() []Run {
	i := lookupItem(r.typ, "Run")
	if i < 0 {
		return nil
	}
	l, _ := r.vals[i].v.([]Run)
	return slices.Clone(l)
}

// Include returns the Include blocks of a FileSet.
func (r *Resource) Include() []IncludeExclude { return slices.Clone(r.include) }

// Exclude returns the Exclude blocks of a FileSet.
func (r *Resource) Exclude() []IncludeExclude { return slices.Clone(r.exclude) }

// Inherit takes over, as inherited values, every directive set in defs
// (a JobDefs resource) that r does not set itself, the way the Director
// applies a Job's JobDefs; the JobDefs' RunScripts follow r's own. defs
// must be a JobDefs or Job resource; r a Job or JobDefs.
func (r *Resource) Inherit(defs *Resource) error {
	if (r.typ != Job && r.typ != JobDefs) || (defs.typ != Job && defs.typ != JobDefs) {
		return fmt.Errorf("%w: %s cannot inherit from %s", ErrBadValue, r.typ, defs.typ)
	}
	for i, it := range schemas[r.typ] {
		dv := defs.vals[i]
		if !dv.set || it.kind == kName {
			continue
		}
		if it.kind == kRunScript {
			own, _ := r.vals[i].v.([]RunScript)
			inh, _ := dv.v.([]RunScript)
			merged := slices.Clone(own)
			for _, rs := range inh {
				rs.fromJobDefs = true
				merged = append(merged, rs)
			}
			r.vals[i] = value{set: r.vals[i].set, inherited: !r.vals[i].set, v: merged}
			continue
		}
		if r.vals[i].set {
			continue
		}
		r.vals[i] = value{inherited: true, v: dv.v}
	}
	return nil
}

// Change replaces a directive's value as the Director does at run time
// (enable and disable set a Job's, Client's or Schedule's Enabled): a
// value inherited from the JobDefs stays inherited (show leaves it out
// unless verbose), any other becomes set, shown whenever it differs
// from the default.
func (r *Resource) Change(directive string, v any) error {
	if i := lookupItem(r.typ, directive); i >= 0 && !r.vals[i].set && r.vals[i].inherited {
		return r.SetInherited(directive, v)
	}
	return r.Set(directive, v)
}

// Clone returns a copy of r that can be changed without changing r.
func (r *Resource) Clone() *Resource {
	c := *r
	c.vals = slices.Clone(r.vals)
	c.include = slices.Clone(r.include)
	c.exclude = slices.Clone(r.exclude)
	c.dests = slices.Clone(r.dests)
	return &c
}

// SetInherited sets a directive as an inherited value: the Director
// fills in some directives itself (a Client's Catalog is the first
// Catalog), which show prints like values inherited from a JobDefs.
func (r *Resource) SetInherited(directive string, v any) error {
	if err := r.Set(directive, v); err != nil {
		return err
	}
	i := lookupItem(r.typ, directive)
	r.vals[i].set, r.vals[i].inherited = false, true
	return nil
}

func toInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case uint32:
		return int64(n), true
	case uint64:
		if n > math.MaxInt64 {
			return 0, false
		}
		return int64(n), true
	}
	return 0, false
}

func checkRange(k kind, n int64) error {
	switch k {
	case kInt32:
		if n < math.MinInt32 || n > math.MaxInt32 {
			return fmt.Errorf("%d out of the 32-bit range", n)
		}
	case kPint32, kSize32:
		if n < 0 || n > math.MaxUint32 {
			return fmt.Errorf("%d out of the unsigned 32-bit range", n)
		}
	case kSpeed, kSize64:
		if n < 0 {
			return fmt.Errorf("%d is negative", n)
		}
	}
	return nil
}

// keywordOf returns the keyword of the set that s names (ignoring case),
// or "".
func keywordOf(set []string, s string) string {
	for _, k := range set {
		if ascii.EqualFold(k, s) {
			return k
		}
	}
	return ""
}
