package uacontext

import (
	"bufio"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// DirectorInfo describes the Director a session talks to, as shown by the
// version command, status director and the login messages. An embedder
// sets the fields it knows; empty fields take the values of
// DefaultDirectorInfo.
type DirectorInfo struct {
	Name            string // Director resource name, e.g. "bareos-dir"
	Version         string // full version, e.g. "25.0.0"
	Date            string // build date as the Director prints it, e.g. "21 August 2026"
	OSInfo          string // operating system description ("operatingsystem", "distversion")
	Platform        string // build platform ("distname"), e.g. "debian"
	CustomVersionID string // Director's "Ver Id" directive; may be empty
	// Banner is the services message of the 1002 login message.
	Banner string
}

// DefaultDirectorInfo holds the values used for empty DirectorInfo
// fields. Version is that of the Bareos Director whose protocol and
// output this package reproduces (clients such as the web UI check it).
// Date is the commit date of the build when the binary records one (go
// build in a repository), else the release date of that version. OSInfo
// and Platform describe the host, from os-release(5) (PRETTY_NAME and
// ID), or Go's GOOS and GOARCH where there is none.
var DefaultDirectorInfo = DirectorInfo{
	Name:     "bareos-dir",
	Version:  "25.0.0",
	Date:     buildDate(),
	OSInfo:   hostOS.pretty,
	Platform: hostOS.id,
	Banner:   "Self-compiled binaries (UNSUPPORTED)\nGet professional support from https://www.bareos.com",
}

// releaseDate is the date of the reproduced Director version.
const releaseDate = "21 August 2026"

// buildDate returns the commit date of the build as the Director prints
// its build date ("%d %B %Y"), or releaseDate.
func buildDate() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return releaseDate
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.time" {
			if t, err := time.Parse(time.RFC3339, s.Value); err == nil {
				return t.UTC().Format("02 January 2006")
			}
		}
	}
	return releaseDate
}

// hostOS describes the host the package runs on.
var hostOS = readHostOS()

type osInfo struct{ pretty, id string }

func readHostOS() osInfo {
	for _, p := range []string{"/etc/os-release", "/usr/lib/os-release"} {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		info := parseOSRelease(f)
		f.Close()
		if info.pretty != "" {
			return info
		}
	}
	return osInfo{pretty: runtime.GOOS + "/" + runtime.GOARCH, id: runtime.GOOS}
}

// parseOSRelease reads PRETTY_NAME and ID (defaulting to "linux") from an
// os-release file: KEY=value lines, values possibly quoted.
func parseOSRelease(r io.Reader) osInfo {
	info := osInfo{id: "linux"}
	sc := bufio.NewScanner(io.LimitReader(r, 64<<10))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok {
			continue
		}
		if u, err := strconv.Unquote(v); err == nil {
			v = u
		} else {
			v = strings.Trim(v, `"'`)
		}
		switch k {
		case "PRETTY_NAME":
			info.pretty = v
		case "ID":
			if v != "" {
				info.id = v
			}
		}
	}
	return info
}

// withDefaults fills empty fields (except CustomVersionID, which is
// legitimately empty) from DefaultDirectorInfo.
func (d DirectorInfo) withDefaults() DirectorInfo {
	def := DefaultDirectorInfo
	if d.Name == "" {
		d.Name = def.Name
	}
	if d.Version == "" {
		d.Version = def.Version
	}
	if d.Date == "" {
		d.Date = def.Date
	}
	if d.OSInfo == "" {
		d.OSInfo = def.OSInfo
	}
	if d.Platform == "" {
		d.Platform = def.Platform
	}
	if d.Banner == "" {
		d.Banner = def.Banner
	}
	return d
}
