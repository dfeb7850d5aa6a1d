package e2e

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
	"github.com/uaformat/uaformat/console"
)

// webuiCommand is one console command the Bareos web UI sends: the $cmd
// strings of its Model classes (webui/module/*/src/*/Model/*.php) and of
// its BSock library (restore), with the sample Director's names in
// place of the web UI's variables ({name} placeholders are filled in at
// run time from the sample's catalog).
type webuiCommand struct {
	model string // the web UI model method that sends it
	cmd   string
	api   int // the API mode the web UI uses: 0 (text) or 2 (JSON)
	// keys are what the web UI reads from a mode-2 result: "path:kind"
	// with kind array, object, string, number or bool (gjson paths,
	// relative to "result").
	keys []string
	// text are substrings the mode-0 answer must contain.
	text []string
	// failure marks commands the Director answers with an error (mode 2:
	// the error envelope).
	failure bool
}

var webuiCommands = []webuiCommand{
	// AnalyticsModel
	{"Analytics.getJobTotals", "list jobtotals", 2, []string{"jobtotals:object", "jobtotals.jobs:string", "jobtotals.bytes:string", "jobtotals.files:string"}, nil, false},
	{"Analytics.getConfigResourcesGraphData", "show clients", 2, []string{"clients:object", "clients.{client}:object", "clients.{client}.address:string"}, nil, false},
	{"Analytics.getConfigResourcesGraphData", "show jobs", 2, []string{"jobs:object", "jobs.{job}:object", "jobs.{job}.jobdefs:string"}, nil, false},
	{"Analytics.getConfigResourcesGraphData", "show jobdefs", 2, []string{"jobdefs:object", "jobdefs.DefaultJob.type:string"}, nil, false},
	{"Analytics.getConfigResourcesGraphData", "show fileset", 2, []string{"filesets:object", "filesets.{fileset}.include:array", "filesets.PostgreSQL.include.0.plugin:array"}, nil, false},
	{"Analytics.getConfigResourcesGraphData", "show schedules", 2, []string{"schedules:object", "schedules.{schedule}.run:array"}, nil, false},
	// ClientModel
	{"Client.getClient", `llist client="{client}"`, 2, []string{"clients:array", "clients.0.clientid:string", "clients.0.name:string", "clients.0.uname:string", "clients.0.autoprune:string", "clients.0.fileretention:string", "clients.0.jobretention:string"}, nil, false},
	{"Client.getClientBackups", `llist backups client="{client}" fileset="any" order=desc`, 2, []string{"backups:array", "backups.0.jobid:string", "backups.0.fileset:string", "backups.0.level:string", "backups.0.jobbytes:string", "backups.0.starttime:string"}, nil, false},
	{"Client.getClientBackups", `llist backups client="{client}" fileset="{fileset}" order=desc limit=1`, 2, []string{"backups:array", "meta.range.limit:number"}, nil, false},
	{"Client.getClientBackups", `llist backups client="{client}"`, 2, []string{"backups:array", "backups.0.jobid:string"}, nil, false},
	{"Client.getClientJobs", `llist jobs client="{client}" fileset="{fileset}" order=desc limit=10`, 2, []string{"jobs:array", "jobs.0.jobid:string"}, nil, false},
	{"Client.statusClient", `status client="{client}"`, 0, nil, []string{"Connecting to Client {client}"}, false},
	{"Client.enableClient", `enable client="{otherclient}" yes`, 0, nil, []string{"enabled"}, false},
	{"Client.disableClient", `disable client="{otherclient}" yes`, 0, nil, []string{"disabled"}, false},
	// DirectorModel
	{"Director.getDirectorCommands", ".help", 2, []string{"list:object", "list.description:string", "list.arguments:string", "list.permission:bool"}, nil, false},
	{"Director.getDirectorVersion", "version", 2, []string{"version:object", "version.version:string", "version.name:string"}, nil, false},
	{"Director.getDirectorStatus", "status director", 0, nil, []string{"bareos-dir Version:"}, false},
	{"Director.getDirectorSubscriptions", "status subscriptions", 2, []string{"version:string", "unit-detail:array", "unit-summary:object", "unit-summary.used:string", "checksum:string"}, nil, false},
	{"Director.getDirectorSubscriptions", "status subscriptions all", 2, []string{"unit-clients:array", "unit-plugins:array"}, nil, false},
	{"Director.getDirectorSubscriptions", "status subscriptions all anonymize", 0, nil, []string{"Backup unit summary:"}, false},
	{"Director.getDirectorMessages", "list log limit=50 reverse", 2, []string{"log:array", "log.0.logid:string", "log.0.jobname:string", "log.0.clientname:string", "log.0.time:string", "log.0.logtext:string"}, nil, false},
	{"Director.getDirectorMessages", "list log limit=50 offset=10 reverse", 2, []string{"log:array", "meta.range.offset:number"}, nil, false},
	{"Director.getDirectorMessages", "list log limit=50 offset=10", 2, []string{"log:array"}, nil, false},
	{"Director.getDirectorMessages", "list log limit=50", 2, []string{"log:array", "meta.range.limit:number"}, nil, false},
	{"Director.sendDirectorCommand", "list log", 0, nil, []string{"JobId"}, false},
	// FilesetModel
	{"Fileset.getFilesets", "list filesets", 2, []string{"filesets:array", "filesets.0.filesetid:string", "filesets.0.fileset:string", "filesets.0.createtime:string"}, nil, false},
	{"Fileset.getFileset", "llist fileset filesetid={filesetid}", 2, []string{"filesets:array", "filesets.0.filesettext:string"}, nil, false},
	{"Fileset.getDotFilesets", ".filesets", 2, []string{"filesets:array", "filesets.0.name:string"}, nil, false},
	// JobModel
	{"Job.getJobs", "llist jobs limit=1000 offset=0", 2, []string{"jobs:array", "jobs.0.jobid:string", "jobs.0.job:string", "jobs.0.jobstatus:string", "meta.range.filtered:number"}, nil, false},
	{"Job.getJobs", `llist jobs jobname="{job}" limit=1000 offset=0`, 2, []string{"jobs:array", "meta.range.filtered:number"}, nil, false},
	{"Job.getJobs", "llist jobs days=7 limit=1000 offset=0", 2, []string{"jobs:array", "meta.range.filtered:number"}, nil, false},
	{"Job.getJobs", `llist jobs jobname="{job}" days=7 limit=1000 offset=1000`, 2, []string{"jobs:array", "meta.range.filtered:number"}, nil, false},
	{"Job.getJobsByStatus", "llist jobs jobstatus=T days=7 limit=1000 offset=0", 2, []string{"jobs:array", "meta.range.filtered:number"}, nil, false},
	{"Job.getJobsByStatus", "llist jobs jobstatus=E hours=24 limit=1000 offset=0", 2, []string{"jobs:array", "meta.range.filtered:number"}, nil, false},
	{"Job.getJobsByStatus", `llist jobs jobstatus=R jobname="{job}" limit=1000 offset=0`, 2, []string{"jobs:array", "meta.range.filtered:number"}, nil, false},
	{"Job.getJobsByStatus", `llist jobs jobstatus=T,W,E limit=1000 offset=0`, 2, []string{"jobs:array", "meta.range.filtered:number"}, nil, false},
	{"Job.getJobsToRerun", "llist jobs jobtype=B days=7", 2, []string{"jobs:array"}, nil, false},
	{"Job.getClientJobsForPeriod", `llist jobs client="{client}" days=7`, 2, []string{"jobs:array"}, nil, false},
	{"Job.getJobsForPeriodByJobname", `llist jobs jobname="{job}" days=7`, 2, []string{"jobs:array"}, nil, false},
	{"Job.getJob", "llist jobid={jobid}", 2, []string{"jobs:array", "jobs.0.jobid:string", "jobs.0.client:string", "jobs.0.fileset:string", "jobs.0.poolname:string"}, nil, false},
	{"Job.getJobLog", "list joblog jobid={jobid} limit=1000 offset=0", 2, []string{"joblog:array", "joblog.0.time:string", "joblog.0.logtext:string", "meta.range.filtered:number"}, nil, false},
	{"Job.getJobLog", "list joblog jobid={jobid} limit=1000 offset=1000", 2, []string{"joblog:array", "meta.range.filtered:number"}, nil, false},
	{"Job.getJobMedia", "list volumes jobid={jobid}", 2, []string{"volumes:array", "volumes.0.volumename:string"}, nil, false},
	{"Job.getJobsByType", ".jobs", 2, []string{"jobs:array", "jobs.0.name:string", "jobs.0.enabled:bool"}, nil, false},
	{"Job.getJobsByType", `.jobs type="B"`, 2, []string{"jobs:array", "jobs.0.name:string"}, nil, false},
	{"Job.getJobsLastStatus", "llist jobs last current enabled", 2, []string{"jobs:array", "jobs.0.jobstatus:string"}, nil, false},
	{"Job.getJobTotals", "list jobtotals", 2, []string{"jobtotals:object"}, nil, false},
	{"Job.getRunningJobsStatistics", "list jobstatistics jobid={jobid}", 2, []string{"jobstats:array", "jobstats.0.sampletime:string", "jobstats.0.jobbytes:string", "jobstats.0.jobfiles:string"}, nil, false},
	{"Job.getRunningJobsStatistics", "list jobs jobname={job} client={client} jobstatus=T joblevel=F last", 2, []string{"jobs:array", "jobs.0.jobbytes:string"}, nil, false},
	{"Job.getRestoreJobs", ".jobs type=R", 2, []string{"jobs:array", "jobs.0.name:string"}, nil, false},
	{"Job.runJob", `run job="{job}" yes`, 0, nil, []string{"Job queued. JobId="}, false},
	{"Job.getJobDefaults", `.defaults job="{job}"`, 2, []string{"defaults:object", "defaults.job:string", "defaults.client:string", "defaults.fileset:string", "defaults.pool:string", "defaults.storage:string", "defaults.level:string", "defaults.type:string", "defaults.enabled:number"}, nil, false},
	{"Job.runCustomJob", `run job="{job}" client="{client}" fileset="{fileset}" storage="File" pool="Full" level="Full" priority="10" yes`, 0, nil, []string{"Job queued. JobId="}, false},
	{"Job.rerunJob", "rerun jobid={jobid} yes", 0, nil, []string{"Job queued. JobId="}, false},
	{"Job.cancelJob", "cancel jobid={runningjobid} yes", 0, nil, []string{"JobId={runningjobid}"}, false},
	{"Job.enableJob", `enable job="{otherjob}" yes`, 0, nil, []string{"enabled"}, false},
	{"Job.disableJob", `disable job="{otherjob}" yes`, 0, nil, []string{"disabled"}, false},
	// MediaModel
	{"Media.getVolumes", "llist volumes all limit=1000 offset=0", 2, []string{"volumes:array", "volumes.0.mediaid:string", "volumes.0.volumename:string", "volumes.0.pool:string", "meta.range.filtered:number"}, nil, false},
	{"Media.getVolume", `llist volume="{volume}"`, 2, []string{"volume:object", "volume.volumename:string", "volume.volstatus:string"}, nil, false},
	{"Media.getVolumeJobs", `llist jobs volume="{volume}"`, 2, []string{"jobs:array", "jobs.0.jobid:string"}, nil, false},
	// PoolModel
	{"Pool.getPools", "llist pools", 2, []string{"pools:array", "pools.0.poolid:string", "pools.0.name:string"}, nil, false},
	{"Pool.getDotPools", ".pools", 2, []string{"pools:array", "pools.0.name:string"}, nil, false},
	{"Pool.getDotPools", `.pools type="Backup"`, 2, []string{"pools:array", "pools.0.name:string"}, nil, false},
	{"Pool.getPool", `llist pool="{pool}"`, 2, []string{"pools:array", "pools.0.name:string", "pools.0.numvols:string"}, nil, false},
	{"Pool.getPoolMedia", `llist media pool="{pool}" limit=1000 offset=0`, 2, []string{"volumes:array", "volumes.0.volumename:string", "meta.range.filtered:number"}, nil, false},
	{"Pool.getPoolResource", `show pool="{pool}"`, 0, nil, []string{"Pool {", `Name = "{pool}"`}, false},
	// RestoreModel
	{"Restore.getDirectories", ".bvfs_lsdirs jobid={jobids} path= limit=1000 offset=0", 2, []string{"directories:array"}, nil, false},
	{"Restore.getDirectories", ".bvfs_lsdirs jobid={jobids} pathid={dirid} limit=1000 offset=0", 2, []string{"directories:array", "directories.0.pathid:number", "directories.0.name:string"}, nil, false},
	// The path "@" (Windows drive letters) does not exist on the sample's
	// Unix clients: the Director fails the command without a message.
	{"Restore.getDirectories", ".bvfs_lsdirs jobid={jobids} path=@ limit=1000", 2, []string{":object"}, nil, true},
	{"Restore.getFiles", ".bvfs_lsfiles jobid={jobids} path= limit=1000 offset=0", 2, []string{"files:array"}, nil, false},
	{"Restore.getFiles", ".bvfs_lsfiles jobid={jobids} pathid={dirid} limit=1000 offset=0", 2, []string{"files:array", "files.0.fileid:number", "files.0.name:string", "files.0.stat:object"}, nil, false},
	{"Restore.getFiles", ".bvfs_lsfiles jobid={jobids} path=@ limit=1000 offset=0", 2, []string{"files:array"}, nil, false},
	{"Restore.getFileVersions", `.bvfs_versions jobid=0 client={client} pathid={dirid} fname="hosts"`, 2, []string{"versions:array", "versions.0.jobid:number", "versions.0.volumename:string", "versions.0.stat:object"}, nil, false},
	{"Restore.getJobDefaults", `.defaults job="{restorejob}"`, 2, []string{"defaults:object", "defaults.where:string", "defaults.replace:string"}, nil, false},
	{"Restore.getJobIds", ".bvfs_get_jobids jobid={jobid} all", 2, []string{"jobids:array", "jobids.0.id:string"}, nil, false},
	{"Restore.getJobIds", ".bvfs_get_jobids jobid={jobid}", 2, []string{"jobids:array", "jobids.0.id:string"}, nil, false},
	{"Restore.updateBvfsCache", ".bvfs_update jobid={jobid}", 2, []string{":object"}, nil, false},
	{"Restore.updateBvfsCache", ".bvfs_update", 2, []string{":object"}, nil, false},
	{"Restore.getClientResource", "show client={client}", 0, nil, []string{"Client {", `Address = `}, false},
	{"BSock.restore", ".bvfs_restore jobid={jobids} fileid={fileid} dirid={dirid} path=b2000123", 0, nil, []string{"OK"}, false},
	{"BSock.restore", `restore file=?b2000123 client="{client}" restoreclient="{client}" restorejob="{restorejob}" where="/tmp/bareos-restores" replace="always" yes`, 0, nil, []string{"Job queued. JobId="}, false},
	{"BSock.restore", ".bvfs_cleanup path=b2000123", 0, nil, nil, false},
	{"Console", ".bvfs_clear_cache yes", 0, nil, []string{"OK"}, false},
	// ScheduleModel
	{"Schedule.getSchedules", ".schedule", 2, []string{"schedules:array", "schedules.0.name:string", "schedules.0.enabled:bool"}, nil, false},
	{"Schedule.showSchedules", "show schedule", 0, nil, []string{"Schedule {", "Run = "}, false},
	{"Schedule.getFullScheduleStatus", "status scheduler", 0, nil, []string{"Scheduler Jobs:"}, false},
	{"Schedule.getScheduleStatus", `status scheduler schedule="{schedule}`, 0, nil, []string{"{schedule}"}, false},
	{"Schedule.enableSchedule", `enable schedule="{otherschedule}" yes`, 0, nil, []string{"enabled"}, false},
	{"Schedule.disableSchedule", `disable schedule="{otherschedule}" yes`, 0, nil, []string{"disabled"}, false},
	// StorageModel
	{"Storage.getStorages", "list storages", 2, []string{"storages:array", "storages.0.storageid:string", "storages.0.name:string", "storages.0.autochanger:string"}, nil, false},
	{"Storage.getSlots", `status storage="{storage}" slots`, 2, []string{"contents:array", "contents.0.type:string", "contents.0.slotnr:number", "contents.0.content:string"}, nil, false},
	{"Storage.statusStorageSlots", `status storage="{storage}" slots`, 0, nil, []string{"Slot |"}, false},
	{"Storage.importSlots", `import storage="{storage}`, 0, nil, []string{"Connecting to Storage daemon"}, false},
	{"Storage.importSlots", `import storage="{storage}" dstslots=20`, 0, nil, []string{"Connecting to Storage daemon"}, false},
	{"Storage.importSlots", `import storage="{storage}" srcslots=25`, 0, nil, []string{"Connecting to Storage daemon"}, false},
	{"Storage.exportSlots", `export storage="{storage}" srcslots=1`, 0, nil, []string{"Connecting to Storage daemon"}, false},
	{"Storage.mountSlot", `mount storage="{storage}" slot=2 drive=0`, 0, nil, []string{"Connecting to Storage daemon"}, false},
	{"Storage.unmountSlot", `unmount storage="{storage}" drive=0`, 0, nil, []string{"Connecting to Storage daemon"}, false},
	{"Storage.releaseSlot", `release storage="{storage}" drive=0`, 0, nil, []string{"Connecting to Storage daemon"}, false},
	{"Storage.updateSlots", `update slots storage="{storage}"`, 0, nil, []string{"Connecting to Storage daemon"}, false},
	{"Storage.moveSlots", `move storage="{storage}" srcslots=3 dstslots=21`, 2, []string{":object"}, nil, false},
	{"Storage.label", `label storage="{storage}" pool="Scratch" drive="0" barcodes slots=9-10 yes`, 0, nil, []string{"Connecting to Storage daemon"}, false},
	{"Storage.label", `label storage="{storage}" pool="Scratch" drive="0" barcodes encrypt slots=11 yes`, 0, nil, []string{"Connecting to Storage daemon"}, false},
	{"Storage.statusStorage", `status storage="{filestorage}`, 0, nil, []string{"Connecting to Storage daemon {filestorage}"}, false},
	// BareosBSock::send_command
	{"BSock.send_command", "use catalog=MyCatalog", 0, nil, []string{"Using Catalog name=MyCatalog"}, false},
}

// webuiNames finds the sample's values for the placeholders.
func webuiNames(t *testing.T, c *console.Client) map[string]string {
	t.Helper()
	ctx := context.Background()
	names := map[string]string{
		"client": "bareos-fd", "otherclient": "web01-fd", "fileset": "SelfTest", "job": "BackupClient1",
		"otherjob": "backup-web01", "restorejob": "RestoreFiles", "pool": "Full", "schedule": "WeeklyCycle",
		"otherschedule": "MonthlyArchive", "storage": "Tape", "filestorage": "File",
	}
	res, err := c.CallJSON(ctx, "list jobs job=BackupClient1 jobstatus=T")
	if err != nil {
		t.Fatal(err)
	}
	jobs := res.Get("jobs").Array()
	if len(jobs) == 0 {
		t.Fatal("no terminated BackupClient1 job")
	}
	names["jobid"] = jobs[len(jobs)-1].Get("jobid").String()
	res, err = c.CallJSON(ctx, "list volumes jobid="+names["jobid"])
	if err != nil {
		t.Fatal(err)
	}
	names["volume"] = res.Get("volumes.0.volumename").String()
	res, err = c.CallJSON(ctx, "list fileset jobid="+names["jobid"])
	if err != nil {
		t.Fatal(err)
	}
	names["filesetid"] = res.Get("filesets.0.filesetid").String()
	res, err = c.CallJSON(ctx, ".bvfs_get_jobids jobid="+names["jobid"])
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, id := range res.Get("jobids.#.id").Array() {
		ids = append(ids, id.String())
	}
	names["jobids"] = strings.Join(ids, ",")
	res, err = c.CallJSON(ctx, ".bvfs_lsdirs jobid="+names["jobids"]+" path=/etc/")
	if err != nil {
		t.Fatal(err)
	}
	names["dirid"] = res.Get("directories.0.pathid").String()
	res, err = c.CallJSON(ctx, ".bvfs_lsfiles jobid="+names["jobids"]+" path=/etc/")
	if err != nil {
		t.Fatal(err)
	}
	names["fileid"] = res.Get("files.0.fileid").String()
	// A running job to cancel: started by run (the sample runs no job by
	// itself).
	res, err = c.CallJSON(ctx, `run job="backup-fileserver" level=Full yes`)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	names["runningjobid"] = res.Get("run.jobid").String()
	for k, v := range names {
		if v == "" {
			t.Fatalf("no sample value for {%s}", k)
		}
	}
	return names
}

func fill(s string, names map[string]string) string {
	for k, v := range names {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

var gjsonKinds = map[string]gjson.Type{"string": gjson.String, "number": gjson.Number}

// checkKind reports whether v has the kind the web UI expects.
func checkKind(v gjson.Result, kind string) bool {
	switch kind {
	case "array":
		return v.IsArray()
	case "object":
		return v.IsObject()
	case "bool":
		return v.IsBool()
	}
	return v.Exists() && v.Type == gjsonKinds[kind]
}

// TestWebUICommands runs every command of the web UI through the Go client
// in the API mode the web UI uses (mode 2 with compact JSON, as its BSock
// library switches with ".api 2 compact=yes", or mode 0) and checks the
// keys and value types the web UI reads, or the text it shows.
func TestWebUICommands(t *testing.T) {
	d := startDaemon(t)
	ctx := context.Background()
	c := d.dial(t, "", rootPassword, false)
	if _, err := c.Call(ctx, ".api 2 compact=yes"); err != nil {
		t.Fatal(err)
	}
	names := webuiNames(t, c)
	for _, wc := range webuiCommands {
		cmd := fill(wc.cmd, names)
		t.Run(wc.model+"/"+cmd, func(t *testing.T) {
			api := ".api 0"
			if wc.api == 2 {
				api = ".api 2 compact=yes"
			}
			if _, err := c.Call(ctx, api); err != nil {
				t.Fatal(err)
			}
			if wc.api == 0 {
				out, err := c.Call(ctx, cmd)
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(out, "is an invalid command") {
					t.Fatalf("%s:\n%s", cmd, out)
				}
				for _, want := range wc.text {
					if want = fill(want, names); !strings.Contains(out, want) {
						t.Errorf("%s: answer lacks %q:\n%s", cmd, want, out)
					}
				}
				return
			}
			res, err := c.CallJSON(ctx, cmd)
			var rpc *console.RPCError
			switch {
			case wc.failure && errors.As(err, &rpc):
				res = rpc.Data.Get("result")
			case err != nil:
				t.Fatalf("%s: %v", cmd, err)
			case wc.failure:
				t.Fatalf("%s: a result, want the error envelope: %s", cmd, res.Raw)
			}
			for _, k := range wc.keys {
				path, kind, _ := strings.Cut(fill(k, names), ":")
				v := res
				if path != "" {
					v = res.Get(gjsonPath(path))
				}
				if !checkKind(v, kind) {
					t.Errorf("%s: %s is %s, want %s in %s", cmd, path, describe(v), kind, excerptJSON(res.Raw))
				}
			}
		})
	}
}

// gjsonPath escapes the characters gjson treats specially in resource
// names (the sample has names with '-' only, and dots do not occur).
func gjsonPath(p string) string { return p }

func describe(v gjson.Result) string {
	if !v.Exists() {
		return "missing"
	}
	return fmt.Sprintf("%v %.40s", v.Type, v.Raw)
}

func excerptJSON(s string) string {
	if len(s) > 600 {
		return s[:600] + "..."
	}
	return s
}
