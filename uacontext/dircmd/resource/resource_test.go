package resource_test

import (
	"errors"
	"flag"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/golden"
	"github.com/uaformat/uaformat/uacontext/dircmd/resource"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestTimeString(t *testing.T) {
	tests := []struct {
		secs int64
		want string
	}{
		{0, "0"},
		{1, "1 seconds "},
		{60, "1 minutes "},
		{1800, "30 minutes "},
		{3661, "1 hours 1 minutes 1 seconds "},
		{86400 * 9, "1 weeks 2 days "},
		{5184000, "2 months "},
		{31536000, "1 years "},
		{31536000 + 86400, "1 years 1 days "},
	}
	for _, tt := range tests {
		if got := resource.TimeString(tt.secs); got != tt.want {
			t.Errorf("TimeString(%d) = %q, want %q", tt.secs, got, tt.want)
		}
	}
}

func TestSizeString(t *testing.T) {
	tests := []struct {
		v    uint64
		want string
	}{
		{0, "0"},
		{1, "1"},
		{1024, "1 k"},
		{64512, "63 k"},
		{10000000, "9 m 549 k 640"},
		{50 << 30, "50 g"},
		{1<<40 + 1, "1 t 1"},
	}
	for _, tt := range tests {
		if got := resource.SizeString(tt.v); got != tt.want {
			t.Errorf("SizeString(%d) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestEscape(t *testing.T) {
	got := resource.Escape(`a\b"c(d)<e>'f`)
	if want := `a\\b\"c\(d\)\<e\>''f`; got != want {
		t.Errorf("Escape = %q, want %q", got, want)
	}
}

func TestRunString(t *testing.T) {
	sat := []time.Weekday{time.Saturday}
	tests := []struct {
		run  resource.Run
		want string
	}{
		{resource.Run{Level: "Full", WeeksOfMonth: []int{1}, WeekDays: sat, Hours: []int{21}}, "Full 1st Sat at 21:00"},
		{resource.Run{Level: "Differential", WeeksOfMonth: []int{2, 3, 4, 5}, WeekDays: sat, Hours: []int{21}}, "Differential 2nd-5th Sat at 21:00"},
		{resource.Run{Level: "Incremental", WeekDays: []time.Weekday{1, 2, 3, 4, 5}, Hours: []int{21}}, "Incremental Mon-Fri at 21:00"},
		{resource.Run{Level: "Full", Hours: []int{21}, Minute: 10}, "Full at 21:10"},
		{resource.Run{LastWeek: true, WeekDays: []time.Weekday{time.Sunday}, Hours: []int{20}}, "last Sun at 20:00"},
		{resource.Run{Pool: "Full", Storage: "Tape", Priority: 5, Level: "Full", MonthDays: []int{1, 15}, Hours: []int{3}},
			`pool="Full" Full storage="Tape" priority=5 1,15 at 03:00`},
		// Priority 10 is the default and not printed.
		{resource.Run{Priority: 10, Months: []time.Month{1, 2, 3, 7}, Hours: []int{0}}, "Jan-Mar,Jul at 00:00"},
		// The Director's quirk: a run of two ending at the last element
		// shows only its first element.
		{resource.Run{WeeksOfMonth: []int{4, 5}, Hours: []int{1}}, "4th at 01:00"},
		{resource.Run{WeekDays: []time.Weekday{5, 6}, Hours: []int{1}}, "Fri at 01:00"},
		{resource.Run{WeekDays: []time.Weekday{1, 2}, Hours: []int{1}}, "Mon-Tue at 01:00"},
		{resource.Run{WeeksOfYear: []int{0, 1, 2, 10}, Hours: []int{1}}, "w00-w02,w10 at 01:00"},
		{resource.Run{Hours: []int{1, 13}, Minute: 5}, "at 01:05at 13:05"},
	}
	for _, tt := range tests {
		if got := tt.run.String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.run, got, tt.want)
		}
	}
}

func TestRunTriggers(t *testing.T) {
	firstSat := resource.Run{Level: "Full", WeeksOfMonth: []int{1}, WeekDays: []time.Weekday{time.Saturday}, Hours: []int{21}}
	lastSun := resource.Run{LastWeek: true, WeekDays: []time.Weekday{time.Sunday}, Hours: []int{20}}
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tt := range []struct {
		run  resource.Run
		day  string
		want bool
	}{
		{firstSat, "2024-03-02", true},
		{firstSat, "2024-03-09", false},
		{firstSat, "2024-03-01", false},
		{lastSun, "2024-03-31", true},
		{lastSun, "2024-03-24", false},
	} {
		if got := tt.run.Triggers(day(tt.day)); got != tt.want {
			t.Errorf("%s on %s: %v", tt.run, tt.day, got)
		}
	}
	times := firstSat.Times(day("2024-03-02"))
	if len(times) != 1 || times[0].Hour() != 21 {
		t.Errorf("Times: %v", times)
	}
}

func TestSet(t *testing.T) {
	c := resource.New(resource.Client, "fd")
	for _, tt := range []struct {
		directive string
		v         any
		err       error
	}{
		{"Address", "host", nil},
		{"FD Address", "host", nil}, // alias, blanks ignored
		{"port", 9102, nil},
		{"Port", "9102", resource.ErrBadValue},
		{"Port", -1, resource.ErrBadValue},
		{"HeartbeatInterval", time.Minute, nil},
		{"Enabled", "yes", resource.ErrBadValue},
		{"Protocol", "ndmpv2", nil},
		{"Protocol", "Bogus", resource.ErrBadValue},
		{"NoSuchDirective", 1, resource.ErrUnknownDirective},
		{"Password", "secret", nil},
	} {
		err := c.Set(tt.directive, tt.v)
		if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
			t.Errorf("Set(%q, %v) = %v, want %v", tt.directive, tt.v, err, tt.err)
		}
	}
	if got := c.String("Protocol"); got != "NDMPV2" {
		t.Errorf("Protocol stored as %q", got)
	}
	if got := c.Int("HeartbeatInterval"); got != 60 {
		t.Errorf("HeartbeatInterval = %d", got)
	}
	if got := c.Int("FileRetention"); got != 5184000 {
		t.Errorf("default FileRetention = %d", got)
	}
	if !c.Bool("Enabled") || c.IsSet("Enabled") {
		t.Error("Enabled: default yes, not set")
	}
	if _, ok := resource.ParseType("fileset"); !ok {
		t.Error("ParseType(fileset)")
	}
	if d := resource.Job.Directives(); d[0] != "Name" || !slices.Contains(d, "RunScript") {
		t.Errorf("Job directives: %v", d[:3])
	}
}

func TestInherit(t *testing.T) {
	defs := resource.New(resource.JobDefs, "DefaultJob")
	must(t, defs.Set("Type", "Backup"))
	must(t, defs.Set("Pool", "Incremental"))
	must(t, defs.Set("RunBeforeJob", "/bin/true"))
	job := resource.New(resource.Job, "j")
	must(t, job.Set("Pool", "Full"))
	must(t, job.Set("JobDefs", "DefaultJob"))
	must(t, job.Inherit(defs))
	if got := job.String("Type"); got != "Backup" || job.IsSet("Type") {
		t.Errorf("Type %q inherited, set=%v", got, job.IsSet("Type"))
	}
	if got := job.String("Pool"); got != "Full" {
		t.Errorf("own Pool replaced: %q", got)
	}
	if rs := job.RunScripts(); len(rs) != 1 || rs[0].Short != "RunBeforeJob" {
		t.Errorf("RunScripts %+v", rs)
	}
	if err := resource.New(resource.Client, "c").Inherit(defs); !errors.Is(err, resource.ErrBadValue) {
		t.Errorf("a Client inherits: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// resources is a set of resources that uses every layout.
func resources(t *testing.T) []*resource.Resource {
	defs := resource.New(resource.JobDefs, "DefaultJob")
	must(t, defs.Set("Type", "Backup"))
	must(t, defs.Set("Level", "Incremental"))
	must(t, defs.Set("Pool", "Incremental"))
	must(t, defs.Set("Messages", "Standard"))
	must(t, defs.Set("ClientRunBeforeJob", "/usr/local/bin/pre.sh"))
	job := resource.New(resource.Job, "backup-web")
	must(t, job.Set("JobDefs", "DefaultJob"))
	must(t, job.Set("Client", "web-fd"))
	must(t, job.Set("Storage", []string{"File", "Tape"}))
	rs := resource.NewRunScript(`/usr/bin/mail -s "done (really)" <root>`)
	rs.When, rs.RunsOnClient, rs.FailJobOnError = resource.After, false, false
	cons := resource.NewRunScript("update stats")
	cons.Console, cons.When = true, resource.Before
	must(t, job.Set("RunScript", []resource.RunScript{rs, cons}))
	must(t, job.Set("WriteBootstrap", `|/usr/bin/bsmtp -f "(Bareos)" root`))
	must(t, job.Set("MaxRunTime", 7*24*time.Hour))
	must(t, job.Inherit(defs))

	fs := resource.New(resource.FileSet, "Docs")
	must(t, fs.Set("Include", []resource.IncludeExclude{{
		Options: []resource.Options{{Settings: []resource.Option{resource.Quoted("Signature", "XXH128"),
			resource.Flag("OneFS", false), resource.Plain("Size", "<10m")}, WildDir: []string{"*/.cache"}}},
		Files:   []string{"/home/o'brien", "/srv/<data>"},
		Plugins: []string{`python3:module_name=bareos-fd-local-fileset:filename="/etc/list"`},
	}}))
	must(t, fs.Set("Exclude", []resource.IncludeExclude{{Files: []string{"/tmp"}}}))

	msgs := resource.New(resource.Messages, "Standard")
	must(t, msgs.Set("MailCommand", `/usr/bin/bsmtp -f "(Bareos) <%r>" %r`))
	must(t, msgs.AddDestination(resource.Destination{Kind: "mail", Where: "root", Types: resource.AllTypes("skipped")}))
	must(t, msgs.AddDestination(resource.Destination{Kind: "console", Types: []string{"error", "fatal"}}))

	sched := resource.New(resource.Schedule, "Nightly")
	must(t, sched.Set("Run", []resource.Run{{Level: "Full", WeeksOfMonth: []int{1}, WeekDays: []time.Weekday{0}, Hours: []int{2}}}))

	dir := resource.New(resource.Director, "dir")
	must(t, dir.Set("Password", resource.Password{Value: "0123456789abcdef", MD5: true}))
	must(t, dir.Set("Addresses", []resource.Address{{Family: "ipv4", Addr: "0.0.0.0", Port: 9101}, {Family: "ipv6", Addr: "::", Port: 9101}}))
	must(t, dir.Set("AuditEvents", []string{"label", "run"}))

	con := resource.New(resource.Console, "*UserAgent*")
	must(t, con.Set("Password", "secret"))
	con.SetInternal(true)
	prof := resource.New(resource.Profile, "operator")
	must(t, prof.Set("CommandAcl", []string{"!delete", "*all*"}))
	pool := resource.New(resource.Pool, "Scratch")
	must(t, pool.Set("PoolType", "scratch"))
	must(t, pool.Set("MaximumVolumeBytes", uint64(5000000000)))
	return []*resource.Resource{defs, job, fs, msgs, sched, dir, con, prof, pool}
}

func TestPrintGolden(t *testing.T) {
	for _, opts := range []struct {
		name string
		o    resource.PrintOptions
	}{
		{"print", resource.PrintOptions{}},
		{"print_verbose", resource.PrintOptions{Verbose: true}},
		{"print_hidden", resource.PrintOptions{HideSensitive: true}},
	} {
		golden.Check(t, opts.name, golden.Options{Update: *update}, func(f *formatter.Formatter) bool {
			p := formatter.NewResourcePrinter(f)
			for _, r := range resources(t) {
				resource.Print(p, r, opts.o)
			}
			return true
		})
	}
}

func TestPrintNil(t *testing.T) {
	out, err := golden.Render(func(f *formatter.Formatter) bool {
		resource.Print(formatter.NewResourcePrinter(f), nil, resource.PrintOptions{})
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out[0]) != 0 || len(out[1]) != 0 {
		t.Errorf("nil resource printed: %q", out[0])
	}
	if diff := cmp.Diff(`{
  "jsonrpc": "2.0",
  "id": null,
  "result": {}
}`, string(out[2][0])); diff != "" {
		t.Errorf("nil resource in JSON (-want +got):\n%s", diff)
	}
}

// TestChangeClone: Change keeps a JobDefs value inherited and makes any
// other set; a Clone changes independently of its original.
func TestChangeClone(t *testing.T) {
	defs := resource.New(resource.JobDefs, "DefaultJob")
	must(t, defs.Set("Type", "Backup"))
	must(t, defs.Set("Enabled", true))
	inherits := resource.New(resource.Job, "a")
	must(t, inherits.Set("JobDefs", "DefaultJob"))
	must(t, inherits.Inherit(defs))
	own := resource.New(resource.Job, "b")

	for _, r := range []*resource.Resource{inherits, own} {
		c := r.Clone()
		must(t, c.Change("Enabled", false))
		if c.Bool("Enabled") || !r.Bool("Enabled") {
			t.Errorf("%s: clone Enabled=%v, original Enabled=%v", r.Name(), c.Bool("Enabled"), r.Bool("Enabled"))
		}
		if want := r == own; c.IsSet("Enabled") != want {
			t.Errorf("%s: Enabled set=%v after Change, want %v", r.Name(), c.IsSet("Enabled"), want)
		}
	}
	if err := own.Clone().Change("NoSuchDirective", 1); !errors.Is(err, resource.ErrUnknownDirective) {
		t.Errorf("Change of an unknown directive: %v", err)
	}

	fs := resource.New(resource.FileSet, "fs")
	must(t, fs.Set("Include", []resource.IncludeExclude{{Files: []string{"/etc"}}}))
	c := fs.Clone()
	must(t, c.Set("Include", []resource.IncludeExclude{{Files: []string{"/srv"}}}))
	if got := fs.Include(); len(got) != 1 || got[0].Files[0] != "/etc" {
		t.Errorf("the original's Include changed with its clone's: %+v", got)
	}
}
