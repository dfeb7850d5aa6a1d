package dircmd

import (
	"context"
	"github.com/uaformat/uaformat/internal/ascii"
	"strings"

	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd/resource"
)

// useCmd is "use catalog=<name>": the session switches to the catalog
// (the sample Director has one catalog per configuration, so switching
// changes nothing but the message).
func (c *cmds) useCmd(_ context.Context, ua *uacontext.UA) error {
	var cat *resource.Resource
	for _, a := range ua.Args[1:] {
		if ascii.EqualFold(a.Key, "catalog") && a.HasValue {
			if cat = c.findResource(ua, resource.Catalog, a.Value); cat != nil {
				break
			}
		}
	}
	if cat == nil {
		// The Director asks for a catalog (in batch mode the prompt
		// fails) and then opens the default one, the first it may use.
		for _, r := range c.configResources(resource.Catalog) {
			if ua.ACLAccessOK(uacontext.ACLCatalog, r.Name()) {
				cat = r
				break
			}
		}
	}
	if cat == nil {
		return uacontext.Errorf("Could not find a Catalog resource\n")
	}
	ua.SendMsg("Using Catalog name=%s DB=%s\n", cat.Name(), cat.String("DbName"))
	return nil
}

// ExportDir is where configure export says it writes the resources it
// exports (the Director's configuration directory).
const ExportDir = "/etc/bareos"

// configureCmd is "configure export client=<name>": the Director resource
// the client's file daemon needs, in its configuration syntax. (The
// sample keeps its configuration in memory: the export is shown, not
// written; "configure add" is not supported.)
func (c *cmds) configureCmd(_ context.Context, ua *uacontext.UA) error {
	if len(ua.Args) < 3 {
		return uacontext.Errorf("usage:\n  configure add <resourcetype> <key1>=<value1> ...\n  configure export client=<clientname>\n")
	}
	switch {
	case ascii.EqualFold(ua.Args[1].Key, "export"):
	case ascii.EqualFold(ua.Args[1].Key, "add"):
		return uacontext.Errorf("configure add: the sample Director's configuration cannot be changed.\n")
	default:
		return uacontext.Errorf("invalid subcommand %s.\n", ua.Args[1].Key)
	}
	i := ua.FindArgWithValue("client")
	if i < 0 {
		return uacontext.Errorf("usage: configure export client=<clientname>\n")
	}
	client := ua.Args[i].Value
	cl := c.findResource(ua, resource.Client, client)
	if cl == nil {
		return uacontext.Errorf("usage: configure export client=<clientname>\n")
	}
	dirName := ua.Director.Name
	if dirs := c.configResources(resource.Director); len(dirs) > 0 {
		dirName = dirs[0].Name()
	}
	var pw string
	if p, ok := cl.Value("Password").(resource.Password); ok {
		pw = p.Value
		if p.MD5 {
			pw = "[md5]" + pw
		}
	}
	var content strings.Builder
	content.WriteString("Director {\n")
	content.WriteString("  Name = \"" + dirName + "\"\n")
	content.WriteString("  Password = \"" + pw + "\"\n")
	content.WriteString("}\n")
	filename := ExportDir + "/bareos-dir-export/client/" + client + "/bareos-fd.d/director/" + dirName + ".conf"
	f := ua.Formatter()
	f.ObjectStart("configure", null)
	f.ObjectStart("export", null)
	f.KVString("clientname", null, client, null)
	f.KVString("component", null, "bareos-fd", null)
	f.KVString("resource", null, "director", null)
	f.KVString("name", null, dirName, null)
	f.KVString("filename", null, filename, "Exported resource file \"%s\":\n")
	f.KVString("content", null, content.String(), "%s")
	f.ObjectEnd("export", null)
	f.ObjectEnd("configure", null)
	return nil
}
