package dircmd_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tidwall/gjson"
	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/uacontext"
)

// update (flows_test.go) also rewrites the golden files of these tests.

// transcript renders recorded packets: data packets as "--- packet LEN"
// followed by the bytes, signals as "--- signal NAME".
func transcript(r *recorder) string {
	var b strings.Builder
	for _, p := range r.pkts {
		if p.sig != 0 {
			fmt.Fprintf(&b, "--- signal %v\n", p.sig)
			continue
		}
		fmt.Fprintf(&b, "--- packet %d\n%s\n", len(p.data), p.data)
	}
	return b.String()
}

// checkModes runs line in API modes 0, 1 and 2 and compares the packets
// with testdata/NAME.modeM.golden (rewritten with -update).
func checkModes(t *testing.T, name string, console *uacontext.Console, line string) {
	t.Helper()
	for _, m := range []apimode.Mode{apimode.Off, apimode.On, apimode.JSON} {
		got := transcript(run(t, console, m, line))
		checkGolden(t, filepath.Join("testdata", name+".mode"+m.String()+".golden"), got)
	}
}

func TestShowGolden(t *testing.T) {
	tests := []struct{ name, line string }{
		{"show_client", "show client=bareos-fd"},
		{"show_client_verbose", "show client=bareos-fd verbose"},
		{"show_clients", "show clients"},
		{"show_jobs", "show jobs"},
		{"show_job_verbose", "show job=BackupCatalog verbose"},
		{"show_jobdefs", "show jobdefs"},
		{"show_filesets", "show fileset"},
		{"show_schedules", "show schedule"},
		{"show_pool", "show pool=Full"},
		{"show_storages", "show storages"},
		{"show_messages", "show messages"},
		{"show_director", "show director"},
		{"show_catalog", "show catalogs verbose"},
		{"show_consoles_verbose", "show consoles verbose"},
		{"show_all", "show all"},
		{"show_disabled", "show disabled"},
		{"show_disabled_jobs", "show disabled jobs"},
		{"show_not_found", "show client=nonexistent-fd"},
		{"show_bad_keyword", "show bogus"},
		{"show_help", "show help"},
		{"show_counters", "show counters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkModes(t, tt.name, nil, tt.line) })
	}
}

// showConsole may see the job BackupClient1, the client bareos-fd, the
// pool Full, the storage File, the FileSet SelfTest and the schedule
// WeeklyCycle, and not use configure.
var showConsole = &uacontext.Console{Name: "showConsole", ACL: uacontext.ACLSet{
	uacontext.ACLJob:      {"BackupClient1"},
	uacontext.ACLClient:   {"bareos-fd"},
	uacontext.ACLPool:     {"Full"},
	uacontext.ACLStorage:  {"File"},
	uacontext.ACLFileSet:  {"SelfTest"},
	uacontext.ACLSchedule: {"WeeklyCycle"},
	uacontext.ACLCatalog:  {"MyCatalog"},
	uacontext.ACLCommand:  {"!configure", "*all*"},
}}

func TestShowACL(t *testing.T) {
	rec := run(t, showConsole, apimode.JSON, "show all verbose")
	doc := gjson.Parse(rec.data())
	res := doc.Get("result")
	wantKeys := map[string][]string{
		"clients": {"bareos-fd"}, "jobs": {"BackupClient1"}, "pools": {"Full"}, "storages": {"File"},
		"filesets": {"SelfTest"}, "schedules": {"WeeklyCycle"}, "catalogs": {"MyCatalog"},
	}
	for group, want := range wantKeys {
		var got []string
		res.Get(group).ForEach(func(k, _ gjson.Result) bool {
			got = append(got, k.String())
			return true
		})
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", group, diff)
		}
	}
	// Resources without an ACL of their own need the configure command.
	for _, group := range []string{"directors", "messages", "consoles", "jobdefs"} {
		if group == "jobdefs" {
			// JobDefs are guarded by the Job ACL.
			if res.Get("jobdefs").Exists() {
				t.Errorf("jobdefs shown: %s", res.Get("jobdefs").Raw)
			}
			continue
		}
		if res.Get(group).Exists() {
			t.Errorf("%s shown to a console without configure: %s", group, res.Get(group).Raw)
		}
	}
	// Passwords are hidden from consoles that may not configure.
	if pw := res.Get("clients.bareos-fd.password").String(); pw != "****************" {
		t.Errorf("password shown: %q", pw)
	}
	// A forbidden resource is "not found", exactly as a missing one.
	for _, line := range []string{"show client=web01-fd", "show job=backup-web01", "show pool=Scratch"} {
		text := run(t, showConsole, apimode.Off, line).data()
		kw := strings.TrimPrefix(strings.Fields(line)[1], "")
		kw, name, _ := strings.Cut(kw, "=")
		want := fmt.Sprintf("%ss resource %s not found.\n", kw, name)
		if text != want {
			t.Errorf("%s: %q, want %q", line, text, want)
		}
	}
	// The default console sees passwords.
	res = gjson.Parse(run(t, nil, apimode.JSON, "show client=bareos-fd").data()).Get("result")
	if pw := res.Get("clients.bareos-fd.password").String(); !strings.HasPrefix(pw, "[md5]") {
		t.Errorf("default console: password %q", pw)
	}
}

// TestShowModes checks that the three modes show the same resources: the
// names in the text output are the keys of the JSON groups.
func TestShowModes(t *testing.T) {
	text := run(t, nil, apimode.Off, "show all").data()
	doc := gjson.Parse(run(t, nil, apimode.JSON, "show all").data()).Get("result")
	n := 0
	doc.ForEach(func(group, members gjson.Result) bool {
		members.ForEach(func(name, res gjson.Result) bool {
			n++
			if !strings.Contains(text, "Name = \""+name.String()+"\"") {
				t.Errorf("%s %q in JSON, not in text", group, name)
			}
			return true
		})
		return true
	})
	if got := strings.Count(text, "\n}\n"); got != n {
		t.Errorf("text has %d resources, JSON %d", got, n)
	}
	if n < 30 {
		t.Errorf("only %d resources", n)
	}
}
