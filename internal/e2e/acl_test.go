package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// Resources of the sample Director the "limited" console's ACLs forbid.
// (Level letters and words are not names: the pool "Incremental" and the
// level "Incremental" are spelled the same, so only names that cannot be
// anything else are listed.)
var forbidden = []string{
	// jobs
	"BackupCatalog", "RestoreFiles", "backup-web01", "backup-db01", "backup-mail",
	"backup-fileserver", "backup-laptop", "VerifyClient1",
	// clients
	"web01-fd", "db01-fd", "mail-fd", "fileserver-fd", "laptop-fd",
	// pools
	"Scratch",
}

// aclCommands are run by the limited console in every API mode.
var aclCommands = []string{
	".jobs", ".jobs type=B", ".clients", ".pools", ".storages", ".filesets", ".schedule", ".catalogs", ".msgs",
	"list jobs", "llist jobs", "list jobs last", "llist jobs last", "list jobs current",
	"list clients", "llist clients", "list pools", "llist pools", "list volumes", "llist volumes", "list media",
	"list storages", "list jobmedia", "list jobtotals", "list jobs count", "list jobs limit=1000", "list jobs jobstatus=T", "list jobs offset=2 limit=3",
	"status director", "status dir", "help", ".help", "whoami", "version",
	// the web UI's commands (not "show all verbose": its directive ScratchPool
	// contains the name of the forbidden pool Scratch)
	"show all", "show jobs verbose", "show clients verbose", "show pools", "show schedules",
	"show filesets", "show jobdefs", "show storages", "show disabled",
	"list log", "llist log limit=100", "list log limit=100 reverse", "list filesets", "llist filesets",
	"llist backups client=bareos-fd", "list backups client=bareos-fd fileset=any",
	"llist jobs last current enabled", "llist volumes all", "list storages", "llist pools",
	".defaults job=backup-web01", ".defaults client=web01-fd", ".defaults pool=Scratch",
	"status scheduler", "status scheduler days=14", "status subscriptions",
}

// TestACLConfinement logs in as a console whose ACLs allow one job, one
// client and two pools, runs every listing, dot command and id lookup in
// API modes 0, 1 and 2, and requires that no forbidden job, client or pool
// name appears in any answer. The same commands as the admin console show
// those names, so the check is not vacuous.
func TestACLConfinement(t *testing.T) {
	d := startDaemon(t)
	ctx := context.Background()

	// Job ids of forbidden jobs, from the admin console.
	admin := d.dial(t, "admin", adminPassword, true)
	res, err := admin.CallJSON(ctx, "list jobs")
	if err != nil {
		t.Fatal(err)
	}
	var foreignIDs []string
	for _, j := range res.Get("jobs").Array() {
		if j.Get("name").String() != "BackupClient1" && len(foreignIDs) < 6 {
			foreignIDs = append(foreignIDs, j.Get("jobid").String())
		}
	}
	if len(foreignIDs) == 0 {
		t.Fatal("the sample catalog has no job of another name")
	}
	cmds := append([]string(nil), aclCommands...)
	for _, id := range foreignIDs {
		cmds = append(cmds,
			"list jobid="+id, "llist jobid="+id, "list files jobid="+id, "list jobmedia jobid="+id,
			"list volumes jobid="+id, "list joblog jobid="+id, "list jobstatistics jobid="+id,
			"list fileset jobid="+id, ".bvfs_get_jobids jobid="+id, ".bvfs_get_jobids jobid="+id+" all",
			".bvfs_lsdirs jobid="+id+" path=/", ".bvfs_lsfiles jobid="+id+" path=/",
		)
	}

	// The admin console sees the names (in some mode).
	seen := map[string]bool{}
	for _, api := range []string{".api 0", ".api 1", ".api 2"} {
		if _, err := admin.Call(ctx, api); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range cmds {
			out, err := admin.Call(ctx, cmd)
			if err != nil {
				t.Fatalf("admin: %s: %v", cmd, err)
			}
			for _, name := range forbidden {
				if strings.Contains(out, name) {
					seen[name] = true
				}
			}
		}
	}
	for _, name := range forbidden {
		if !seen[name] {
			t.Errorf("admin never sees %q: the check for it would be vacuous", name)
		}
	}

	limited := d.dial(t, "limited", limitedPassword, false)
	var sawAllowed bool
	for _, api := range []string{".api 0", ".api 1", ".api 2", ".api 2 compact=yes"} {
		if _, err := limited.Call(ctx, api); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range cmds {
			out, err := limited.Call(ctx, cmd)
			if err != nil {
				t.Fatalf("limited, %s: %s: %v", api, cmd, err)
			}
			for _, name := range forbidden {
				if strings.Contains(out, name) {
					t.Errorf("limited console, %s, %q shows %q:\n%s", api, cmd, name, excerpt(out, name))
				}
			}
			if strings.Contains(out, "BackupClient1") {
				sawAllowed = true
			}
		}
	}
	if !sawAllowed {
		t.Error("the limited console never sees its own job BackupClient1")
	}
}

// TestACLJobTotals checks the deliberate deviation from the reference
// Director, whose "list jobtotals" applies no ACL filter: here the
// restricted console sees only its own job, and the admin console sees
// the others.
func TestACLJobTotals(t *testing.T) {
	d := startDaemon(t)
	ctx := context.Background()
	admin := d.dial(t, "admin", adminPassword, false)
	all, err := admin.Call(ctx, "list jobtotals")
	if err != nil {
		t.Fatal(err)
	}
	limited := d.dial(t, "limited", limitedPassword, false)
	out, err := limited.Call(ctx, "list jobtotals")
	if err != nil {
		t.Fatal(err)
	}
	shown := 0
	for _, name := range forbidden {
		if strings.Contains(all, name) {
			shown++
		}
		if strings.Contains(out, name) {
			t.Errorf("list jobtotals shows the forbidden job %q to the limited console:\n%s", name, excerpt(out, name))
		}
	}
	if shown == 0 || !strings.Contains(out, "BackupClient1") {
		t.Errorf("vacuous: admin sees %d forbidden names; limited output:\n%s", shown, out)
	}
}

// excerpt returns the text around the first occurrence of name.
func excerpt(s, name string) string {
	i := strings.Index(s, name)
	lo, hi := max(0, i-200), min(len(s), i+len(name)+200)
	return fmt.Sprintf("...%s...", s[lo:hi])
}
