package dircmd

import (
	"context"
	"slices"

	"github.com/uaformat/uaformat/internal/ascii"
	"github.com/uaformat/uaformat/uacontext"
)

// The resource dot commands list configured resources as an array of
// nameless objects {"name": ..., ["enabled": ...]}; in the text modes each
// name is printed on its own line (one packet per resource).

func (c *cmds) dotJobs(_ context.Context, ua *uacontext.UA) error {
	var typ byte
	if i := ua.FindArgWithValue("type"); i >= 0 && ua.Args[i].Value != "" {
		typ = ua.Args[i].Value[0]
	}
	jobs := c.cat.Jobs()
	if typ != 0 {
		jobs = slices.DeleteFunc(slices.Clone(jobs), func(j JobResource) bool { return j.Type != typ })
	}
	enabledList(ua, "jobs", uacontext.ACLJob, jobs, func(j JobResource) (string, bool) { return j.Name, j.Enabled })
	return nil
}

// enabledList emits the array of {"name": ..., "enabled": ...} objects of
// the resources the console's ACL of kind allows, honouring the
// "enabled" and "disabled" keywords.
func enabledList[R any](ua *uacontext.UA, array string, kind uacontext.ACLKind, res []R, get func(R) (name string, enabled bool)) {
	enabled, disabled := hasFlag(ua, "enabled"), hasFlag(ua, "disabled")
	f := ua.Formatter()
	f.ArrayStart(array, null)
	for _, r := range res {
		name, on := get(r)
		if !ua.ACLAccessOK(kind, name) || enabled && !on || disabled && on {
			continue
		}
		f.ObjectStart(null, null)
		f.KVString("name", null, name, "%s\n")
		f.KVBool("enabled", null, on, null)
		f.ObjectEnd(null, null)
	}
	f.ArrayEnd(array, null)
}

func (c *cmds) dotClients(_ context.Context, ua *uacontext.UA) error {
	enabledList(ua, "clients", uacontext.ACLClient, c.cat.Clients(), func(x ClientResource) (string, bool) { return x.Name, x.Enabled })
	return nil
}

func (c *cmds) dotPools(_ context.Context, ua *uacontext.UA) error {
	typ, byType := ua.ArgValue("type")
	f := ua.Formatter()
	f.ArrayStart("pools", null)
	for _, p := range c.cat.Pools() {
		if !ua.ACLAccessOK(uacontext.ACLPool, p.Name) {
			continue
		}
		// The Director compares the first len(type) bytes, ignoring case.
		if byType && !ascii.HasPrefixFold(p.PoolType, typ) {
			continue
		}
		f.ObjectStart(null, null)
		f.KVString("name", null, p.Name, "%s\n")
		f.ObjectEnd(null, null)
	}
	f.ArrayEnd("pools", null)
	return nil
}

func (c *cmds) dotStorages(_ context.Context, ua *uacontext.UA) error {
	enabledList(ua, "storages", uacontext.ACLStorage, c.cat.Storages(), func(x StorageResource) (string, bool) { return x.Name, x.Enabled })
	return nil
}

func (c *cmds) dotSchedule(_ context.Context, ua *uacontext.UA) error {
	enabledList(ua, "schedules", uacontext.ACLSchedule, c.cat.Schedules(), func(x ScheduleResource) (string, bool) { return x.Name, x.Enabled })
	return nil
}

// namedList emits an array of {"<key>": name} objects for the resources
// the ACL kind allows (kind < 0: no ACL check).
func namedList(ua *uacontext.UA, array, key string, kind uacontext.ACLKind, check bool, res []NamedResource) {
	f := ua.Formatter()
	f.ArrayStart(array, null)
	for _, x := range res {
		if check && !ua.ACLAccessOK(kind, x.Name) {
			continue
		}
		f.ObjectStart(null, null)
		f.KVString(key, null, x.Name, "%s\n")
		f.ObjectEnd(null, null)
	}
	f.ArrayEnd(array, null)
}

func (c *cmds) dotFileSets(_ context.Context, ua *uacontext.UA) error {
	namedList(ua, "filesets", "name", uacontext.ACLFileSet, true, c.cat.FileSets())
	return nil
}

func (c *cmds) dotCatalogs(_ context.Context, ua *uacontext.UA) error {
	namedList(ua, "catalogs", "name", uacontext.ACLCatalog, true, c.cat.Catalogs())
	return nil
}

// dotMsgs lists the Messages resources; the Director applies no ACL and
// names the key "text".
func (c *cmds) dotMsgs(_ context.Context, ua *uacontext.UA) error {
	namedList(ua, "messages", "text", 0, false, c.cat.MessageResources())
	return nil
}
