package sampledir

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd/resource"
)

// config is the sample Director's configuration: its resources by type,
// in configuration order, as show prints them.
type config [resource.NumTypes][]*resource.Resource

// md5Password returns the [md5] form the Director keeps for a password.
func md5Password(plain string) resource.Password {
	sum := md5.Sum([]byte(plain))
	return resource.Password{Value: hex.EncodeToString(sum[:]), MD5: true}
}

// builder collects the first error of a chain of Set calls; the sample
// configuration is static, so an error is a bug that the package tests
// catch.
type builder struct {
	err error
}

func (b *builder) res(t resource.Type, name string, kv ...any) *resource.Resource {
	r := resource.New(t, name)
	for i := 0; i+1 < len(kv); i += 2 {
		b.set(r, kv[i].(string), kv[i+1])
	}
	return r
}

func (b *builder) set(r *resource.Resource, directive string, v any) {
	if err := r.Set(directive, v); err != nil && b.err == nil {
		b.err = err
	}
}

func (b *builder) check(err error) {
	if err != nil && b.err == nil {
		b.err = err
	}
}

const bsmtp = `/usr/bin/bsmtp -h localhost -f "(Bareos) <%r>"`

// buildConfig builds the sample configuration. password is the
// Director's (and the default console's) password.
func buildConfig(password string) (config, error) {
	var c config
	b := &builder{}
	pw := resource.Password{Value: password}

	dir := b.res(resource.Director, Name,
		"QueryFile", "/usr/lib/bareos/scripts/query.sql",
		"Messages", "Daemon",
		"MaximumConcurrentJobs", 10,
		"Password", pw,
		"Subscriptions", 10,
		"Auditing", true,
	)
	b.set(dir, "Addresses", []resource.Address{{Family: "ipv4", Addr: "0.0.0.0", Port: 9101}})
	c[resource.Director] = []*resource.Resource{dir}

	for _, cs := range clientSpecs {
		cl := b.res(resource.Client, cs.name,
			"Address", cs.addr,
			"Password", md5Password(cs.name+"-secret"),
		)
		switch cs.name {
		case "bareos-fd":
			b.set(cl, "Description", "Client resource of the Director itself.")
		case "laptop-fd":
			b.set(cl, "Description", "Notebook, connects to the Director when it is online.")
			b.set(cl, "ConnectionFromDirectorToClient", false)
			b.set(cl, "ConnectionFromClientToDirector", true)
			b.set(cl, "HeartbeatInterval", time.Minute)
		case "db01-fd":
			b.set(cl, "MaximumConcurrentJobs", 2)
		}
		if !cs.enabled {
			b.set(cl, "Enabled", false)
		}
		b.check(cl.SetInherited("Catalog", "MyCatalog"))
		c[resource.Client] = append(c[resource.Client], cl)
	}

	defaultJob := b.res(resource.JobDefs, "DefaultJob",
		"Type", "Backup",
		"Level", "Incremental",
		"Client", "bareos-fd",
		"FileSet", "SelfTest",
		"Schedule", "WeeklyCycle",
		"Storage", []string{"File"},
		"Messages", "Standard",
		"Pool", "Incremental",
		"Priority", 10,
		"WriteBootstrap", "/var/lib/bareos/%c.bsr",
		"FullBackupPool", "Full",
		"DifferentialBackupPool", "Differential",
		"IncrementalBackupPool", "Incremental",
	)
	c[resource.JobDefs] = []*resource.Resource{defaultJob}

	job := func(name string, kv ...any) *resource.Resource {
		j := b.res(resource.Job, name, kv...)
		if j.IsSet("JobDefs") {
			b.check(j.Inherit(defaultJob))
		}
		c[resource.Job] = append(c[resource.Job], j)
		return j
	}
	job("BackupClient1", "JobDefs", "DefaultJob")
	catalogJob := job("BackupCatalog",
		"Description", "Backup the catalog database (after the nightly save)",
		"JobDefs", "DefaultJob",
		"Level", "Full",
		"FileSet", "Catalog",
		"Schedule", "WeeklyCycleAfterBackup",
		"WriteBootstrap", `|/usr/bin/bsmtp -h localhost -f "(Bareos) " -s "Bootstrap for Job %j" root`,
		"Priority", 11,
	)
	b.set(catalogJob, "RunBeforeJob", "/usr/lib/bareos/scripts/make_catalog_backup MyCatalog")
	b.set(catalogJob, "RunAfterJob", "/usr/lib/bareos/scripts/delete_catalog_backup MyCatalog")
	job("RestoreFiles",
		"Description", "Standard Restore template. Only one such job is needed for all standard Jobs/Clients/Storage ...",
		"Type", "Restore",
		"Client", "bareos-fd",
		"FileSet", "LinuxAll",
		"Storage", []string{"File"},
		"Messages", "Standard",
		"Pool", "Incremental",
		"Where", "/tmp/bareos-restores",
	)
	job("backup-web01", "JobDefs", "DefaultJob", "Client", "web01-fd", "FileSet", "LinuxAll")
	db := job("backup-db01", "JobDefs", "DefaultJob", "Client", "db01-fd", "FileSet", "LinuxAll")
	dump := resource.NewRunScript("/usr/local/bin/dump-databases.sh")
	dump.When = resource.Before
	b.set(db, "RunScript", []resource.RunScript{dump})
	job("backup-mail", "JobDefs", "DefaultJob", "Client", "mail-fd", "FileSet", "LinuxAll",
		"Storage", []string{"Tape"})
	job("backup-fileserver", "JobDefs", "DefaultJob", "Client", "fileserver-fd", "FileSet", "LinuxAll",
		"Storage", []string{"Tape"}, "Accurate", true)
	job("backup-laptop", "JobDefs", "DefaultJob", "Client", "laptop-fd", "FileSet", "Windows All Drives",
		"Enabled", false)
	job("VerifyClient1",
		"Type", "Verify",
		"Level", "InitCatalog",
		"Client", "bareos-fd",
		"FileSet", "SelfTest",
		"Storage", []string{"File"},
		"Messages", "Standard",
		"Pool", "Incremental",
	)

	c[resource.Storage] = []*resource.Resource{
		b.res(resource.Storage, "File",
			"Address", "bareos-sd.example.com",
			"Password", md5Password("File-sd-secret"),
			"Device", []string{"FileStorage"},
			"MediaType", "File",
			"MaximumConcurrentJobs", 10,
		),
		b.res(resource.Storage, "Tape",
			"Description", "LTO-6 library with two drives and 24 slots.",
			"Address", "bareos-sd.example.com",
			"Password", md5Password("Tape-sd-secret"),
			"Device", []string{"TapeChanger"},
			"MediaType", "LTO-6",
			"AutoChanger", true,
			"MaximumConcurrentJobs", 2,
		),
	}

	c[resource.Catalog] = []*resource.Resource{
		b.res(resource.Catalog, "MyCatalog",
			"DbName", "bareos",
			"DbUser", "bareos",
			"DbPassword", resource.Password{Value: "Zb8q4CwmX2"},
		),
	}

	sat := []time.Weekday{time.Saturday}
	c[resource.Schedule] = []*resource.Resource{
		b.res(resource.Schedule, "WeeklyCycle",
			"Run", []resource.Run{
				{Level: "Full", WeeksOfMonth: []int{1}, WeekDays: sat, Hours: []int{21}},
				{Level: "Differential", WeeksOfMonth: []int{2, 3, 4, 5}, WeekDays: sat, Hours: []int{21}},
				{Level: "Incremental", WeekDays: []time.Weekday{0, 1, 2, 3, 4, 5}, Hours: []int{21}},
			},
		),
		b.res(resource.Schedule, "WeeklyCycleAfterBackup",
			"Description", "This schedule does the catalog. It starts after the WeeklyCycle.",
			"Run", []resource.Run{{Level: "Full", Hours: []int{21}, Minute: 10}},
		),
		b.res(resource.Schedule, "MonthlyArchive",
			"Description", "Monthly full backup to tape, not in use yet.",
			"Run", []resource.Run{{Level: "Full", Pool: "Full", Storage: "Tape", WeeksOfMonth: []int{1},
				WeekDays: []time.Weekday{time.Sunday}, Hours: []int{3}}},
			"Enabled", false,
		),
	}

	std := []resource.Option{resource.Quoted("Signature", "XXH128"), resource.Flag("AclSupport", true),
		resource.Flag("XattrSupport", true), resource.Flag("HardLinks", false)}
	fs := func(name, desc string, inc []resource.IncludeExclude, exc []resource.IncludeExclude) *resource.Resource {
		r := resource.New(resource.FileSet, name)
		if desc != "" {
			b.set(r, "Description", desc)
		}
		b.set(r, "Include", inc)
		if exc != nil {
			b.set(r, "Exclude", exc)
		}
		return r
	}
	c[resource.FileSet] = []*resource.Resource{
		fs("Catalog", "Backup the catalog dump and Bareos configuration files.",
			[]resource.IncludeExclude{{Options: []resource.Options{{Settings: std}},
				Files: []string{"/var/lib/bareos/bareos.sql", "/etc/bareos"}}}, nil),
		fs("LinuxAll", "Backup all regular filesystems, determined by filesystem type.",
			[]resource.IncludeExclude{{Options: []resource.Options{{
				Settings: append([]resource.Option{resource.Quoted("Signature", "XXH128"), resource.Flag("OneFS", false)}, std[1:]...),
				FsType:   []string{"btrfs", "ext2", "ext3", "ext4", "reiserfs", "jfs", "vfat", "xfs", "zfs"},
			}}, Files: []string{"/"}}},
			[]resource.IncludeExclude{{Files: []string{"/var/lib/bareos", "/var/lib/bareos/storage", "/proc",
				"/tmp", "/var/tmp", "/.journal", "/.fsck"}}}),
		fs("SelfTest", "fileset just to backup some files for selftest",
			[]resource.IncludeExclude{{Options: []resource.Options{{Settings: std}}, Files: []string{"/usr/sbin"}}}, nil),
		fs("Windows All Drives", "",
			[]resource.IncludeExclude{{Options: []resource.Options{{
				Settings: []resource.Option{resource.Quoted("Signature", "XXH128"), resource.Flag("IgnoreCase", true),
					resource.Flag("Exclude", true), resource.Flag("AclSupport", true), resource.Flag("XattrSupport", true),
					resource.Flag("HonorNoDumpFlag", true), resource.Flag("HardLinks", false)},
				WildDir:   []string{"[A-Z]:/RECYCLER", "[A-Z]:/$RECYCLE.BIN", "[A-Z]:/System Volume Information"},
				WildFile:  []string{"[A-Z]:/pagefile.sys", "[A-Z]:/hiberfil.sys", "[A-Z]:/swapfile.sys"},
				DriveType: []string{"fixed"},
			}}, Files: []string{"/"}}}, nil),
		fs("PostgreSQL", "Database dump through the PostgreSQL plugin.",
			[]resource.IncludeExclude{{Options: []resource.Options{{Settings: std}},
				Plugins: []string{"python3:module_name=bareos-fd-postgresql:db_host=/run/postgresql/"}}}, nil),
	}

	pool := func(name, typ, label string, maxVols int, retention time.Duration, maxBytes uint64) *resource.Resource {
		r := b.res(resource.Pool, name, "PoolType", typ)
		if label != "" {
			b.set(r, "LabelFormat", label)
			b.set(r, "MaximumVolumes", maxVols)
			b.set(r, "MaximumVolumeBytes", maxBytes)
			b.set(r, "Recycle", true)
			b.set(r, "AutoPrune", true)
		}
		b.set(r, "VolumeRetention", retention)
		return r
	}
	day := 24 * time.Hour
	c[resource.Pool] = []*resource.Resource{
		pool("Full", "Backup", "Full-", 100, 365*day, 50<<30),
		pool("Differential", "Backup", "Differential-", 100, 90*day, 20<<30),
		pool("Incremental", "Backup", "Incremental-", 100, 30*day, 5<<30),
		pool("Scratch", "Scratch", "", 0, 365*day, 0),
	}

	stdTypes := resource.AllTypes("skipped", "saved", "audit")
	standard := b.res(resource.Messages, "Standard",
		"Description", "Reasonable message delivery -- send most everything to email address and to the console.",
		"MailCommand", bsmtp+` -s "Bareos: %t %e of %c %l" %r`,
		"OperatorCommand", bsmtp+` -s "Bareos: Intervention needed for %j" %r`,
	)
	for _, d := range []resource.Destination{
		{Kind: "mail", Where: "root", Types: stdTypes},
		{Kind: "operator", Where: "root", Types: []string{"mount"}},
		{Kind: "console", Types: stdTypes},
		{Kind: "append", Where: "/var/log/bareos/bareos.log", Types: stdTypes},
		{Kind: "catalog", Types: stdTypes},
	} {
		b.check(standard.AddDestination(d))
	}
	daemon := b.res(resource.Messages, "Daemon",
		"Description", "Message delivery for daemon messages (no job).",
		"MailCommand", bsmtp+` -s "Bareos daemon message" %r`,
	)
	for _, d := range []resource.Destination{
		{Kind: "mail", Where: "root", Types: resource.AllTypes("skipped", "audit")},
		{Kind: "console", Types: stdTypes},
		{Kind: "append", Where: "/var/log/bareos/bareos.log", Types: resource.AllTypes("skipped", "audit")},
		{Kind: "append", Where: "/var/log/bareos/bareos-audit.log", Types: []string{"audit"}},
	} {
		b.check(daemon.AddDestination(d))
	}
	c[resource.Messages] = []*resource.Resource{standard, daemon}

	ua := b.res(resource.Console, "*UserAgent*",
		"Description", "root console definition",
		"Password", pw,
		"TlsEnable", true,
		"TlsRequire", false,
	)
	ua.SetInternal(true)
	c[resource.Console] = []*resource.Resource{ua}

	if b.err != nil {
		return c, fmt.Errorf("sampledir: configuration: %w", b.err)
	}
	return c, nil
}

// ConfigResources returns the configuration resources of type t in
// configuration order (implements dircmd.Configuration).
func (d *Director) ConfigResources(t resource.Type) []*resource.Resource {
	if !t.Valid() {
		return nil
	}
	var rt uacontext.ResourceType
	switch t {
	case resource.Job:
		rt = uacontext.ResJob
	case resource.Client:
		rt = uacontext.ResClient
	case resource.Schedule:
		rt = uacontext.ResSchedule
	default:
		return d.cfg[t]
	}
	// enable and disable change the Enabled of the running
	// configuration, which show prints.
	res, cloned := d.cfg[t], false
	for i, r := range res {
		en := r.Bool("Enabled")
		if now := d.enabledOverride(rt, r.Name(), en); now != en {
			if !cloned {
				res, cloned = slices.Clone(res), true
			}
			c := r.Clone()
			if err := c.Change("Enabled", now); err == nil {
				res[i] = c
			}
		}
	}
	return res
}
