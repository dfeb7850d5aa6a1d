package demo

import (
	"strings"

	"github.com/uaformat/uaformat/config"
	"github.com/uaformat/uaformat/internal/sampledir"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd/resource"
)

// director is the sample Director with the resources of the daemon's
// configuration: show prints its Director, Console, Profile and User
// resources from the configuration (the current one, after a reload)
// and everything else from the sample.
type director struct {
	*sampledir.Director
	conf func() *config.Config // nil: no configuration
}

// ConfigResources implements dircmd.Configuration.
func (d director) ConfigResources(t resource.Type) []*resource.Resource {
	var conf *config.Config
	if d.conf != nil {
		conf = d.conf()
	}
	if conf == nil {
		return d.Director.ConfigResources(t)
	}
	switch t {
	case resource.Director:
		if conf.Director != nil {
			return []*resource.Resource{directorResource(conf.Director)}
		}
	case resource.Console:
		// The Director adds the default console after the configured
		// ones.
		var out []*resource.Resource
		for _, c := range conf.Consoles {
			out = append(out, consoleResource(c))
		}
		if conf.Director != nil {
			return append(out, userAgent(conf.Director))
		}
		return append(out, d.Director.ConfigResources(t)...)
	case resource.Profile:
		var out []*resource.Resource
		for _, p := range conf.Profiles {
			r := resource.New(resource.Profile, p.Name)
			setDescription(r, p.Description)
			setACLs(r, p.ACL)
			out = append(out, r)
		}
		return out
	case resource.User:
		var out []*resource.Resource
		for _, u := range conf.Users {
			r := resource.New(resource.User, u.Name)
			setDescription(r, u.Description)
			setACLs(r, u.ACL)
			if len(u.Profiles) > 0 {
				_ = r.Set("Profile", u.Profiles)
			}
			out = append(out, r)
		}
		return out
	}
	return d.Director.ConfigResources(t)
}

// password converts a configured password.
func password(p config.Password) resource.Password {
	if p.IsMD5() {
		return resource.Password{Value: strings.TrimPrefix(p.Raw, "[md5]"), MD5: true}
	}
	return resource.Password{Value: p.Raw}
}

func setDescription(r *resource.Resource, d string) {
	if d != "" {
		_ = r.Set("Description", d)
	}
}

var aclDirectives = [uacontext.NumACLKinds]string{
	"JobAcl", "ClientAcl", "StorageAcl", "ScheduleAcl", "PoolAcl", "CommandAcl",
	"FileSetAcl", "CatalogAcl", "WhereAcl", "PluginOptionsAcl",
}

func setACLs(r *resource.Resource, acl uacontext.ACLSet) {
	for k, entries := range acl {
		if len(entries) > 0 {
			_ = r.Set(aclDirectives[k], entries)
		}
	}
}

// setTLS sets the TLS directives that differ from the defaults.
func setTLS(r *resource.Resource, t config.TLSConfig) {
	flag := func(name string, v, def bool) {
		if v != def {
			_ = r.Set(name, v)
		}
	}
	flag("TlsEnable", t.Enable, true)
	flag("TlsRequire", t.Require, true)
	flag("TlsVerifyPeer", t.VerifyPeer, false)
	for _, s := range []struct{ name, v string }{
		{"TlsCipherList", t.CipherList}, {"TlsCipherSuites", t.CipherSuites}, {"TlsProtocol", t.Protocol},
		{"TlsDhFile", t.DHFile}, {"TlsCertificate", t.Certificate}, {"TlsKey", t.Key},
		{"TlsCaCertificateFile", t.CACertificateFile}, {"TlsCaCertificateDir", t.CACertificateDir},
		{"TlsCertificateRevocationList", t.CertificateRevocationList},
	} {
		if s.v != "" {
			_ = r.Set(s.name, s.v)
		}
	}
	if len(t.AllowedCN) > 0 {
		_ = r.Set("TlsAllowedCn", t.AllowedCN)
	}
}

func consoleResource(c *config.Console) *resource.Resource {
	r := resource.New(resource.Console, c.Name)
	setDescription(r, c.Description)
	_ = r.Set("Password", password(c.Password))
	setACLs(r, c.ACL)
	if len(c.Profiles) > 0 {
		_ = r.Set("Profile", c.Profiles)
	}
	if c.UsePAMAuthentication {
		_ = r.Set("UsePamAuthentication", true)
	}
	setTLS(r, c.TLS)
	return r
}

// userAgent is the default console the Director creates from its
// Director resource.
func userAgent(d *config.Director) *resource.Resource {
	r := resource.New(resource.Console, "*UserAgent*")
	_ = r.Set("Description", "root console definition")
	_ = r.Set("Password", password(d.Password))
	_ = r.Set("TlsEnable", true)
	_ = r.Set("TlsRequire", false)
	r.SetInternal(true)
	return r
}

func directorResource(d *config.Director) *resource.Resource {
	r := resource.New(resource.Director, d.Name)
	setDescription(r, d.Description)
	if d.Messages != "" {
		_ = r.Set("Messages", d.Messages)
	}
	switch {
	case len(d.DirAddresses) > 0:
		var addrs []resource.Address
		for _, a := range d.DirAddresses {
			fam, host := a.Family, a.Host
			if fam == "ip" {
				fam = "ipv4"
			}
			if host == "" {
				host = "0.0.0.0"
				if fam == "ipv6" {
					host = "::"
				}
			}
			port := a.Port
			if port == 0 {
				port = config.DefaultDirPort
			}
			addrs = append(addrs, resource.Address{Family: fam, Addr: host, Port: port})
		}
		_ = r.Set("Addresses", addrs)
	case d.DirPort != 0 && d.DirPort != config.DefaultDirPort || d.DirAddress != "":
		host := d.DirAddress
		if host == "" {
			host = "0.0.0.0"
		}
		port := d.DirPort
		if port == 0 {
			port = config.DefaultDirPort
		}
		_ = r.Set("Addresses", []resource.Address{{Family: "ipv4", Addr: host, Port: port}})
	}
	if d.QueryFile != "" {
		_ = r.Set("QueryFile", d.QueryFile)
	}
	if d.WorkingDirectory != "" {
		_ = r.Set("WorkingDirectory", d.WorkingDirectory)
	}
	if d.MaxConcurrentJobs != 0 {
		_ = r.Set("MaximumConcurrentJobs", d.MaxConcurrentJobs)
	}
	if d.MaxConsoleConnections != config.DefaultMaxConsoleConnections {
		_ = r.Set("MaximumConsoleConnections", d.MaxConsoleConnections)
	}
	_ = r.Set("Password", password(d.Password))
	if d.HeartbeatInterval != 0 {
		_ = r.Set("HeartbeatInterval", d.HeartbeatInterval)
	}
	if d.Auditing {
		_ = r.Set("Auditing", true)
	}
	if len(d.AuditEvents) > 0 {
		_ = r.Set("AuditEvents", d.AuditEvents)
	}
	setTLS(r, d.TLS)
	return r
}
