package uacontext

import (
	"os"
	"strings"
	"testing"
)

func TestParseOSRelease(t *testing.T) {
	tests := []struct {
		text string
		want osInfo
	}{
		{"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nID=debian\n", osInfo{"Debian GNU/Linux 12 (bookworm)", "debian"}},
		{"ID=\"rocky\"\nPRETTY_NAME='Rocky Linux 9.4 (Blue Onyx)'\n", osInfo{"Rocky Linux 9.4 (Blue Onyx)", "rocky"}},
		{"# comment\n\nPRETTY_NAME=Alpine\\ Linux\n", osInfo{"Alpine\\ Linux", "linux"}},
		{"", osInfo{"", "linux"}},
	}
	for _, tt := range tests {
		if got := parseOSRelease(strings.NewReader(tt.text)); got != tt.want {
			t.Errorf("parseOSRelease(%q) = %+v, want %+v", tt.text, got, tt.want)
		}
	}
}

// TestDefaultDirectorInfoHost checks that the default Director describes
// the host it runs on, not a fixed distribution.
func TestDefaultDirectorInfoHost(t *testing.T) {
	f, err := os.Open("/etc/os-release")
	if err != nil {
		t.Skip("no /etc/os-release on this host")
	}
	defer f.Close()
	want := parseOSRelease(f)
	if want.pretty == "" {
		t.Skip("/etc/os-release has no PRETTY_NAME")
	}
	d := DirectorInfo{}.withDefaults()
	if d.OSInfo != want.pretty || d.Platform != want.id {
		t.Errorf("default OS %q, platform %q; the host is %q, %q", d.OSInfo, d.Platform, want.pretty, want.id)
	}
	if d.Version == "" || d.Date == "" {
		t.Errorf("default version %q, date %q", d.Version, d.Date)
	}
	// An embedder's values win.
	own := DirectorInfo{OSInfo: "Plan 9", Platform: "plan9"}.withDefaults()
	if own.OSInfo != "Plan 9" || own.Platform != "plan9" {
		t.Errorf("configured values replaced: %+v", own)
	}
}
