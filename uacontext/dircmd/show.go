package dircmd

import (
	"context"
	"github.com/uaformat/uaformat/internal/ascii"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd/resource"
)

// Configuration is the capability behind show and configure export: the
// Director's configuration resources (package resource), by type in
// configuration order. A Catalog that does not implement it has no
// resources to show: show answers "No <type> resource defined" for
// every type, as the Director does for a type it has none of.
type Configuration interface {
	ConfigResources(t resource.Type) []*resource.Resource
}

// showKeywords are the Director's show keywords in its order (which
// decides prefix matches: "show c" is clients).
var showKeywords = []struct {
	kw string
	t  resource.Type
}{
	{"directors", resource.Director}, {"clients", resource.Client}, {"jobs", resource.Job},
	{"jobdefs", resource.JobDefs}, {"storages", resource.Storage}, {"catalogs", resource.Catalog},
	{"schedules", resource.Schedule}, {"filesets", resource.FileSet}, {"pools", resource.Pool},
	{"messages", resource.Messages}, {"counters", resource.Counter}, {"profiles", resource.Profile},
	{"consoles", resource.Console}, {"users", resource.User},
}

// resourceACL maps a resource type to the ACL that guards it; -1: the
// console needs the configure command instead.
func resourceACL(t resource.Type) uacontext.ACLKind {
	switch t {
	case resource.Client:
		return uacontext.ACLClient
	case resource.Job, resource.JobDefs:
		return uacontext.ACLJob
	case resource.Storage:
		return uacontext.ACLStorage
	case resource.Catalog:
		return uacontext.ACLCatalog
	case resource.Schedule:
		return uacontext.ACLSchedule
	case resource.FileSet:
		return uacontext.ACLFileSet
	case resource.Pool:
		return uacontext.ACLPool
	}
	return -1
}

// resourceAllowed is the Director's IsResAllowed.
func resourceAllowed(ua *uacontext.UA, t resource.Type, name string) bool {
	if acl := resourceACL(t); acl >= 0 {
		return ua.ACLAccessOK(acl, name)
	}
	return ua.ACLAccessOK(uacontext.ACLCommand, "configure")
}

func (c *cmds) configResources(t resource.Type) []*resource.Resource {
	if c.conf == nil {
		return nil
	}
	return c.conf.ConfigResources(t)
}

// findResource is the Director's GetResWithName: the resource of type t
// called name, if the console may access it.
func (c *cmds) findResource(ua *uacontext.UA, t resource.Type, name string) *resource.Resource {
	if !resourceAllowed(ua, t, name) {
		return nil
	}
	for _, r := range c.configResources(t) {
		if r.Name() == name {
			return r
		}
	}
	return nil
}

// dumpResources is the Director's DumpResource: every resource of a
// type (or just one), each if the console may see it.
func (c *cmds) dumpResources(ua *uacontext.UA, t resource.Type, list []*resource.Resource, opts resource.PrintOptions) {
	if len(list) == 0 {
		ua.Formatter().Message(formatter.MsgInfo, "No "+t.String()+" resource defined\n")
		return
	}
	p := formatter.NewResourcePrinter(ua.Formatter())
	for _, r := range list {
		if resourceAllowed(ua, t, r.Name()) {
			resource.Print(p, r, opts)
		}
	}
}

// show prints configuration resources: show, show all, show <type>,
// show <type>=<name>, show disabled [jobs|clients|schedules], each with
// verbose.
func (c *cmds) show(_ context.Context, ua *uacontext.UA) error {
	opts := resource.PrintOptions{
		HideSensitive: !ua.ACLAccessOK(uacontext.ACLCommand, "configure"),
		Verbose:       ua.FindArg("verbose") > 0,
	}
	if ua.FindArg("help") > 0 {
		ua.InfoMsg("Keywords for the show command are:\n")
		for _, k := range showKeywords {
			ua.InfoMsg("%s\n", k.kw)
		}
		return nil
	}
	if len(ua.Args) == 1 || ua.FindArg("all") > 0 {
		for t := range resource.Type(resource.NumTypes) {
			if list := c.configResources(t); len(list) > 0 {
				c.dumpResources(ua, t, list, opts)
			}
		}
		return nil
	}
	for i := 1; i < len(ua.Args); i++ {
		arg := ua.Args[i]
		if ascii.EqualFold(arg.Key, "verbose") {
			continue
		}
		if ascii.EqualFold(arg.Key, "disabled") {
			c.showDisabled(ua, i)
			return nil
		}
		found := false
		for _, k := range showKeywords {
			if !ascii.HasPrefixFold(k.kw, arg.Key) {
				continue
			}
			found = true
			if !arg.HasValue {
				c.dumpResources(ua, k.t, c.configResources(k.t), opts)
				break
			}
			r := c.findResource(ua, k.t, arg.Value)
			if r == nil {
				ua.ErrorMsg("%s resource %s not found.\n", k.kw, arg.Value)
				return nil
			}
			c.dumpResources(ua, k.t, []*resource.Resource{r}, opts)
			break
		}
		if !found {
			ua.ErrorMsg("Resource %s not found\n", arg.Key)
		}
	}
	return nil
}

// showDisabled lists the disabled jobs, clients or schedules (all three
// without a further keyword).
func (c *cmds) showDisabled(ua *uacontext.UA, i int) {
	next := argKey(ua, i+1)
	f := ua.Formatter()
	f.ObjectStart("disabled", null)
	switch {
	case ascii.EqualFold(next, "jobs"):
		c.disabledList(ua, resource.Job, "jobs", "Jobs")
	case ascii.EqualFold(next, "clients"):
		c.disabledList(ua, resource.Client, "clients", "Clients")
	case ascii.EqualFold(next, "schedules"):
		c.disabledList(ua, resource.Schedule, "schedules", "Schedules")
	default:
		c.disabledList(ua, resource.Job, "jobs", "Jobs")
		c.disabledList(ua, resource.Client, "clients", "Clients")
		c.disabledList(ua, resource.Schedule, "schedules", "Schedules")
	}
	f.ObjectEnd("disabled", null)
}

func (c *cmds) disabledList(ua *uacontext.UA, t resource.Type, array, title string) {
	f := ua.Formatter()
	first := true
	f.ArrayStart(array, null)
	for _, r := range c.configResources(t) {
		if !ua.ACLAccessOK(resourceACL(t), r.Name()) || r.Bool("Enabled") {
			continue
		}
		if first {
			first = false
			f.Decoration("Disabled " + title + ":\n")
		}
		f.ArrayItemString(r.Name(), "   %s\n")
	}
	if first {
		f.Decoration("No disabled " + title + ".\n")
	}
	f.ArrayEnd(array, null)
}

// ConfigText returns r in the Director's configuration syntax, exactly
// as show prints it in API mode 0 (the Director keeps a FileSet's text
// this way in the catalog's FileSet table).
func ConfigText(r *resource.Resource, opts resource.PrintOptions) string {
	var b []byte
	f := formatter.New(formatter.SinkFunc(func(p []byte) error {
		b = append(b, p...)
		return nil
	}), formatter.Options{Mode: apimode.Off})
	resource.Print(formatter.NewResourcePrinter(f), r, opts)
	f.FinalizeResult(true)
	return string(b)
}
