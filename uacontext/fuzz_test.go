package uacontext

import (
	"context"
	"testing"

	"github.com/tidwall/gjson"
	"github.com/uaformat/uaformat/apimode"
)

// FuzzExecute runs arbitrary command lines through the dispatcher with the
// whole Director table in every mode. In JSON mode every non-empty line
// must produce exactly one data packet, a valid JSON-RPC document (the
// table has no command that sends raw packets without a message queue).
func FuzzExecute(f *testing.F) {
	for _, s := range []string{"", "help", "help list", ".help all full", ".help item=.api", ".api 2 compact=yes",
		".api 0", "=x", "gui", "autodisplay on", "version", "q", "list", `"" x`, ".help full=1"} {
		f.Add(s, uint8(2))
	}
	tab := DefaultTable()
	tab.Add(ReferenceCommands()...)
	var acl ACLSet
	acl[ACLCommand] = []string{"!gui", "[a-m].*", ".*api", "*all*"}
	f.Fuzz(func(t *testing.T, line string, mode uint8) {
		for _, console := range []*Console{nil, {Name: "c", ACL: acl}} {
			r := &recorder{}
			ua := NewUA(r, Options{Table: tab, Console: console})
			ua.SetMode(apimode.Mode(mode % 3))
			before := ua.Mode()
			ua.Execute(context.Background(), line)
			if before != apimode.JSON || ua.Mode() != apimode.JSON || len(ua.Args) == 0 {
				continue
			}
			var data []string
			for _, p := range r.pkts {
				if len(p) < 5 || p[:5] != "BNET_" {
					data = append(data, p)
				}
			}
			if len(data) != 1 || !gjson.Valid(data[0]) || gjson.Get(data[0], "jsonrpc").String() != "2.0" {
				t.Fatalf("%q in JSON mode sent %q", line, r.pkts)
			}
		}
	})
}
