package uacontext

// DirectorInfo describes the Director a session talks to, as shown by the
// version command and the login messages.
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
// fields: those of a self-compiled Bareos 25 Director on Debian 12.
var DefaultDirectorInfo = DirectorInfo{
	Name:     "bareos-dir",
	Version:  "25.0.0",
	Date:     "21 August 2026",
	OSInfo:   "Debian GNU/Linux 12 (bookworm)",
	Platform: "debian",
	Banner:   "Self-compiled binaries (UNSUPPORTED)\nGet professional support from https://www.bareos.com",
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
