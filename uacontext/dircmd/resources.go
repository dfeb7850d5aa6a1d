package dircmd

import "github.com/uaformat/uaformat/uacontext"

// The resource dot commands list configured resources as an array of
// nameless objects {"name": ..., ["enabled": ...]}; in the text modes each
// name is printed on its own line (one packet per resource).

func (c *cmds) dotJobs(ua *uacontext.UA) bool {
	var typ byte
	if i := ua.FindArgWithValue("type"); i >= 0 && ua.Args[i].Value != "" {
		typ = ua.Args[i].Value[0]
	}
	enabled, disabled := hasFlag(ua, "enabled"), hasFlag(ua, "disabled")
	f := ua.Send
	f.ArrayStart("jobs", null)
	for _, j := range c.cat.Jobs() {
		if typ != 0 && typ != j.Type {
			continue
		}
		if !ua.ACLAccessOK(uacontext.ACLJob, j.Name) {
			continue
		}
		if enabled && !j.Enabled || disabled && j.Enabled {
			continue
		}
		f.ObjectStart(null, null)
		f.KVString("name", null, j.Name, "%s\n")
		f.KVBool("enabled", null, j.Enabled, null)
		f.ObjectEnd(null, null)
	}
	f.ArrayEnd("jobs", null)
	return true
}

func (c *cmds) dotClients(ua *uacontext.UA) bool {
	enabled, disabled := hasFlag(ua, "enabled"), hasFlag(ua, "disabled")
	f := ua.Send
	f.ArrayStart("clients", null)
	for _, x := range c.cat.Clients() {
		if !ua.ACLAccessOK(uacontext.ACLClient, x.Name) {
			continue
		}
		if enabled && !x.Enabled || disabled && x.Enabled {
			continue
		}
		f.ObjectStart(null, null)
		f.KVString("name", null, x.Name, "%s\n")
		f.KVBool("enabled", null, x.Enabled, null)
		f.ObjectEnd(null, null)
	}
	f.ArrayEnd("clients", null)
	return true
}

func (c *cmds) dotPools(ua *uacontext.UA) bool {
	typ, byType := ua.ArgValue("type")
	f := ua.Send
	f.ArrayStart("pools", null)
	for _, p := range c.cat.Pools() {
		if !ua.ACLAccessOK(uacontext.ACLPool, p.Name) {
			continue
		}
		// The Director compares the first len(type) bytes, ignoring case.
		if byType && !prefixFold(p.PoolType, typ) {
			continue
		}
		f.ObjectStart(null, null)
		f.KVString("name", null, p.Name, "%s\n")
		f.ObjectEnd(null, null)
	}
	f.ArrayEnd("pools", null)
	return true
}

// prefixFold is strncasecmp(s, prefix, len(prefix)) == 0.
func prefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	return equalFold(s[:len(prefix)], prefix)
}

func (c *cmds) dotStorages(ua *uacontext.UA) bool {
	enabled, disabled := hasFlag(ua, "enabled"), hasFlag(ua, "disabled")
	f := ua.Send
	f.ArrayStart("storages", null)
	for _, x := range c.cat.Storages() {
		if !ua.ACLAccessOK(uacontext.ACLStorage, x.Name) {
			continue
		}
		if enabled && !x.Enabled || disabled && x.Enabled {
			continue
		}
		f.ObjectStart(null, null)
		f.KVString("name", null, x.Name, "%s\n")
		f.KVBool("enabled", null, x.Enabled, null)
		f.ObjectEnd(null, null)
	}
	f.ArrayEnd("storages", null)
	return true
}

func (c *cmds) dotSchedule(ua *uacontext.UA) bool {
	enabled, disabled := hasFlag(ua, "enabled"), hasFlag(ua, "disabled")
	f := ua.Send
	f.ArrayStart("schedules", null)
	for _, x := range c.cat.Schedules() {
		if !ua.ACLAccessOK(uacontext.ACLSchedule, x.Name) {
			continue
		}
		if enabled && !x.Enabled || disabled && x.Enabled {
			continue
		}
		f.ObjectStart(null, null)
		f.KVString("name", null, x.Name, "%s\n")
		f.KVBool("enabled", null, x.Enabled, null)
		f.ObjectEnd(null, null)
	}
	f.ArrayEnd("schedules", null)
	return true
}

// namedList emits an array of {"<key>": name} objects for the resources
// the ACL kind allows (kind < 0: no ACL check).
func namedList(ua *uacontext.UA, array, key string, kind uacontext.ACLKind, check bool, res []NamedResource) {
	f := ua.Send
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

func (c *cmds) dotFileSets(ua *uacontext.UA) bool {
	namedList(ua, "filesets", "name", uacontext.ACLFileSet, true, c.cat.FileSets())
	return true
}

func (c *cmds) dotCatalogs(ua *uacontext.UA) bool {
	namedList(ua, "catalogs", "name", uacontext.ACLCatalog, true, c.cat.Catalogs())
	return true
}

// dotMsgs lists the Messages resources; the Director applies no ACL and
// names the key "text".
func (c *cmds) dotMsgs(ua *uacontext.UA) bool {
	namedList(ua, "messages", "text", 0, false, c.cat.MessageResources())
	return true
}
