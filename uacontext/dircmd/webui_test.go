package dircmd_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/internal/sampledir"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// TestWebUICommandsGolden pins the output of the commands the web UI
// uses in the three API modes. list log shows the formatter's hidden
// columns at work (text modes: only the log texts; JSON: every column).
func TestWebUICommandsGolden(t *testing.T) {
	tests := []struct{ name, line string }{
		{"list_log", "list log"},
		{"list_log_range", "list log limit=3 offset=2 reverse"},
		{"llist_log", "llist log limit=2"},
		{"list_log_client", "list log client=web01-fd limit=2"},
		{"list_joblog", "list joblog jobid=3"},
		{"list_joblog_range", "list joblog jobid=3 limit=2 offset=1"},
		{"list_joblog_count", "list joblog jobid=3 count"},
		{"list_joblog_missing", "list joblog jobid=99999"},
		{"list_jobstatistics", "list jobstatistics jobid=3"},
		{"list_jobstatistics_none", "list jobstatistics"},
		{"list_filesets", "list filesets limit=2"},
		{"llist_fileset", "llist fileset filesetid=3"},
		{"list_fileset_job", "list fileset jobid=3"},
		{"llist_backups", "llist backups client=bareos-fd fileset=SelfTest order=desc limit=2"},
		{"list_backups", "list backups client=db01-fd level=F"},
		{"list_backups_no_client", "list backups"},
		{"list_backups_bad_order", "list backups client=db01-fd order=sideways"},
		{"defaults_job", ".defaults job=BackupCatalog"},
		{"defaults_restore", ".defaults job=RestoreFiles"},
		{"defaults_client", ".defaults client=bareos-fd"},
		{"defaults_storage", ".defaults storage=Tape"},
		{"defaults_pool", ".defaults pool=Full"},
		{"defaults_none", ".defaults"},
		{"bvfs_get_jobids", ".bvfs_get_jobids jobid=58"},
		{"bvfs_get_jobids_all", ".bvfs_get_jobids jobid=58 all"},
		{"bvfs_get_jobids_missing", ".bvfs_get_jobids jobid=99999"},
		{"bvfs_update", ".bvfs_update jobid=1,2"},
		{"bvfs_clear_cache", ".bvfs_clear_cache yes"},
		{"bvfs_clear_cache_no", ".bvfs_clear_cache"},
		{"bvfs_restore_bad", ".bvfs_restore jobid=1 fileid=1 path=notatable"},
		{"bvfs_cleanup_none", ".bvfs_cleanup"},
		{"status_client", "status client=bareos-fd"},
		{"status_client_disabled", "status client=laptop-fd"},
		{"status_storage", "status storage=File"},
		{"status_slots", "status storage=Tape slots"},
		{"status_scheduler", "status scheduler"},
		{"status_scheduler_schedule", "status scheduler schedule=WeeklyCycleAfterBackup days=2"},
		{"status_scheduler_job", "status scheduler job=backup-laptop"},
		{"status_subscriptions", "status subscriptions all"},
		{"status_subscriptions_client", "status subscriptions client=bareos-fd"},
		{"status_configuration", "status configuration"},
		{"use_catalog", "use catalog=MyCatalog"},
		{"configure_export", "configure export client=web01-fd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkModes(t, tt.name, nil, tt.line) })
	}
}

// TestHiddenColumns checks list log's hidden columns against its JSON:
// in the text modes each row is just its log text (after a blank), while
// JSON has every column.
func TestHiddenColumns(t *testing.T) {
	text := run(t, nil, apimode.Off, "list log limit=4").data()
	doc := gjson.Parse(run(t, nil, apimode.JSON, "list log limit=4").data())
	rows := doc.Get("result.log").Array()
	if len(rows) != 4 {
		t.Fatalf("%d rows: %s", len(rows), doc.Raw)
	}
	var want strings.Builder
	for _, r := range rows {
		for _, field := range []string{"logid", "jobname", "clientname", "time", "logtext"} {
			if !r.Get(field).Exists() {
				t.Errorf("JSON row lacks %s: %s", field, r.Raw)
			}
		}
		want.WriteString(" " + r.Get("logtext").String())
	}
	if text != want.String() {
		t.Errorf("text rows are not the bare log texts:\n%s\nwant:\n%s", text, want.String())
	}
}

// TestStorageCommands runs the storage commands of the web UI against a
// fresh sample (they change its tape library) and checks the library and
// the catalog after each.
func TestStorageCommands(t *testing.T) {
	dir := sampledir.New(sampledir.Options{Size: 30, BigDirFiles: 10, Now: func() time.Time { return testNow }})
	table := newTable(dir)
	exec := func(mode apimode.Mode, line string) string {
		rec := &recorder{}
		ua := uacontext.NewUA(rec, uacontext.Options{Table: table})
		ua.SetMode(mode)
		ua.Execute(context.Background(), line)
		return rec.data()
	}
	slots := func() string { return exec(apimode.Off, "status storage=Tape slots") }
	steps := []struct {
		line  string
		want  []string // in the command's answer
		after []string // in "status storage=Tape slots" afterwards
	}{
		{"mount storage=Tape slot=3 drive=0", []string{`3001 Device "tapedrive-0"`, `Volume "ABC003L6"`}, []string{"    3%|         ABC003L6"}},
		{"unmount storage=Tape drive=0", []string{"3002 Device \"tapedrive-0\""}, []string{"    3 |         ABC003L6"}},
		{"release storage=Tape drive=1", []string{"3022 Device \"tapedrive-1\""}, []string{"    2 |         ABC002L6"}},
		{"label storage=Tape pool=Scratch drive=0 barcodes slots=7-8 yes",
			[]string{"Catalog record for Volume \"ABC007L6\", Slot 7 successfully created.", "Slot 8 successfully created."},
			[]string{"    7 |         ABC007L6 |    Append |          LTO-6 |                  Scratch |"}},
		{"label storage=Tape pool=Scratch drive=0 barcodes slots=7 yes", []string{"Media record for Slot 7 Volume \"ABC007L6\" already exists."}, nil},
		{"import storage=Tape", []string{"3308 Successfully transferred volume from slot 25 to 11."}, []string{"   11*|         ABC011L6"}},
		{"export storage=Tape srcslots=1", []string{"from slot 1 to 25."}, []string{"   25@|         ABC001L6 |    Append"}},
		{"move storage=Tape srcslots=4 dstslots=20", []string{"from slot 4 to 20."}, []string{"   20 |         ABC004L6"}},
		{"move storage=Tape srcslots=5 dstslots=6", []string{"Failed to move volume from source slot 5 to destination slot 6"}, nil},
		{"move storage=Tape", []string{"Cannot perform a move operation without source and/or destination selection"}, nil},
		{"export storage=Tape", []string{"Cannot perform an export operation without source slot selection"}, nil},
		{"update slots storage=Tape slots=1-9", []string{"Catalog record for Volume \"ABC007L6\" is up to date.", "Volume \"ABC009L6\" not found in catalog."}, nil},
		{"mount storage=File", []string{"is always mounted"}, nil},
		{"status storage=File slots", []string{"No slots in changer to scan."}, nil},
	}
	for _, s := range steps {
		out := exec(apimode.Off, s.line)
		for _, w := range s.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: lacks %q:\n%s", s.line, w, out)
			}
		}
		if len(s.after) > 0 {
			st := slots()
			for _, w := range s.after {
				if !strings.Contains(st, w) {
					t.Errorf("after %s: slots lack %q:\n%s", s.line, w, st)
				}
			}
		}
	}
	doc := exec(apimode.JSON, "llist volume=ABC001L6")
	if !strings.Contains(doc, `"inchanger": "0"`) {
		t.Errorf("exported volume still in the changer: %s", doc)
	}
	doc = exec(apimode.JSON, "llist volume=ABC004L6")
	if !strings.Contains(doc, `"slot": "20"`) {
		t.Errorf("moved volume not in slot 20: %s", doc)
	}
}

// TestBvfsRestoreList follows the web UI's restore: .bvfs_restore stores
// a restore list, "restore file=?b2<n>" restores what it holds (every
// distinct JobId and FileIndex), .bvfs_cleanup drops it, and a list that
// does not exist is "No table found".
func TestBvfsRestoreList(t *testing.T) {
	ctx := context.Background()
	rs := newRestoreSample()
	table := uacontext.NewTable(uacontext.Builtins()...)
	table.Add(dircmd.Commands(rs, dircmd.Options{Now: func() time.Time { return restoreNow }})...)
	exec := func(line string) string {
		t.Helper()
		rec := &recorder{}
		ua := uacontext.NewUA(rec, uacontext.Options{Table: table})
		ua.Batch = true
		if err := ua.Execute(ctx, line); err != nil {
			t.Logf("%s: %v", line, err)
		}
		return transcript(rec)
	}
	jobs, err := rs.ListJobs(ctx, dircmd.JobQuery{Client: "bareos-fd", Levels: []byte{'F'}, Statuses: []byte{'T'}, Types: []byte{'B'}})
	if err != nil {
		t.Fatal(err)
	}
	var job uint64
	for _, j := range jobs {
		if j.FileSet == "SelfTest" {
			job = j.JobID
		}
	}
	if job == 0 {
		t.Fatal("no full SelfTest backup of bareos-fd")
	}
	dir, err := rs.BvfsPathID(ctx, "/etc/")
	if err != nil {
		t.Fatal(err)
	}
	if out := exec(fmt.Sprintf(".bvfs_restore jobid=%d dirid=%d path=b2000042", job, dir)); !strings.Contains(out, "OK") {
		t.Fatalf(".bvfs_restore: %s", out)
	}
	out := exec(`restore file=?b2000042 client=bareos-fd restorejob=RestoreFiles where=/tmp/r yes`)
	if len(rs.queued) != 1 {
		t.Fatalf("restore queued %d jobs:\n%s", len(rs.queued), out)
	}
	q := rs.queued[0]
	if q.Files == 0 || len(q.RestoreJobIDs) != 1 || q.RestoreJobIDs[0] != job || q.Where != "/tmp/r" {
		t.Errorf("queued %+v", q)
	}
	if !strings.Contains(out, fmt.Sprintf("%d files selected to be restored.", q.Files)) {
		t.Errorf("transcript lacks the file count %d:\n%s", q.Files, out)
	}
	exec(".bvfs_cleanup path=b2000042")
	for _, line := range []string{
		`restore file=?b2000042 client=bareos-fd restorejob=RestoreFiles yes`,
		`restore file=?b2000099 client=bareos-fd restorejob=RestoreFiles yes`,
	} {
		out := exec(line)
		table, _, _ := strings.Cut(strings.TrimPrefix(line, "restore file=?"), " ")
		if !strings.Contains(out, "No table found: "+table) {
			t.Errorf("%s:\n%s", line, out)
		}
	}
	if len(rs.queued) != 1 {
		t.Errorf("restores without a list queued jobs: %+v", rs.queued[1:])
	}
}

// TestStoragePrompts pins the selections of the storage and status
// commands when the command line does not name what they need: the
// storages (only autochangers where the Director offers only those),
// drives, the autochanger slot, clients, jobs, the update item, and
// label's question and pool.
func TestStoragePrompts(t *testing.T) {
	for _, tc := range []struct {
		name    string
		line    string
		answers []string
	}{
		{"mount", "mount", []string{"2", "1", "3"}},
		{"mount_drive_aborted", "mount storage=Tape", []string{"."}},
		{"status_slots", "status slots", []string{"1"}},
		{"status_client", "status client", []string{"."}},
		{"status_client_unknown", "status client=nosuch-fd", []string{"1"}},
		{"status_scheduler_job", "status scheduler job=nosuch days=1", []string{"3"}},
		{"update", "update", []string{"3", "1"}},
		{"update_volume", "update volume=ABC001L6 slots", nil},
		{"export", "export srcslots=1", []string{"."}},
		{"label", "label storage=Tape drive=0 barcodes slots=9", []string{"yes", "4"}},
		{"label_no", "label storage=Tape drive=0 barcodes slots=9", []string{"no"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := sampledir.New(sampledir.Options{Size: 30, BigDirFiles: 10, Now: func() time.Time { return testNow }})
			con := &scripted{answers: tc.answers}
			ua := uacontext.NewUA(con, uacontext.Options{Table: newTable(dir)})
			fmt.Fprintf(&con.log, "* %s\n", tc.line)
			err := ua.Execute(context.Background(), tc.line)
			fmt.Fprintf(&con.log, "== result: %v\n", errText(err))
			checkGolden(t, filepath.Join("testdata", "prompts", tc.name+".golden"), con.log.String())
		})
	}
}
