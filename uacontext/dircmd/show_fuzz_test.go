package dircmd_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/uacontext"
)

// FuzzShow runs "show <args>" on the sample Director as the default and
// as a restricted console in API modes 0 and 2: it must never panic, a
// mode-2 answer must be one valid JSON document, and the restricted
// console must not see a password or a resource outside its ACLs.
func FuzzShow(f *testing.F) {
	for _, s := range []string{
		"", "all", "all verbose", "client=bareos-fd", "clients verbose", "job=BackupCatalog verbose",
		"fileset", "schedule", "pool=Full", "messages", "consoles verbose", "disabled", "disabled jobs",
		"help", "c", "=x", "jobdefs=DefaultJob verbose", "bogus", "client=", `client="bareos-fd" verbose`,
		"storages director catalogs", "verbose verbose", "director=bareos-dir",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, args string) {
		if len(args) > 200 {
			return
		}
		line := "show " + args
		for _, console := range []*uacontext.Console{nil, showConsole} {
			run(t, console, apimode.Off, line)
			out := run(t, console, apimode.JSON, line).data()
			var doc any
			if err := json.Unmarshal([]byte(out), &doc); err != nil || !utf8.ValidString(out) {
				t.Fatalf("%q: invalid JSON (%v):\n%s", line, err, out)
			}
			if console != nil {
				for _, secret := range []string{"[md5]", "Zb8q4CwmX2", "web01.example.com", "backup-web01"} {
					if strings.Contains(out, secret) {
						t.Fatalf("%q: restricted console sees %q:\n%s", line, secret, out)
					}
				}
			}
		}
	})
}
