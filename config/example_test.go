package config_test

import (
	"context"
	"fmt"
	"os"

	"github.com/uaformat/uaformat/config"
	"github.com/uaformat/uaformat/uacontext"
)

// Load reads a configuration directory in the Director's layout
// (bareos-dir.d/<resource>/*.conf), as bareos-dir -c does.
func ExampleLoad() {
	cfg, err := config.Load("testdata/layout/etc/bareos", config.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	d := cfg.Director
	fmt.Println(d.Name, d.ListenAddresses(), d.MaxConsoleConnections)
	for _, c := range cfg.Consoles {
		fmt.Println("console", c.Name, c.Profiles)
	}
	fmt.Println(len(cfg.Files), "files,", len(cfg.Notices), "resources skipped")
	// Output:
	// bareos-dir [127.0.0.1:9101] 8
	// console op1 [operator]
	// console bareos-mon []
	// console admin [webui-admin]
	// 21 files, 13 resources skipped
}

// A configuration error names the file, the line and the problem.
func ExampleLoad_error() {
	_, err := config.Parse("bareos-dir.conf", []byte(`Console {
  Name = "*UserAgent*"
  Password = ""
}
`), config.Options{})
	fmt.Println(err)
	// Output:
	// bareos-dir.conf:2: Console name *UserAgent* is reserved for the default console, whose password is the Director's
	// bareos-dir.conf:3: Console "*UserAgent*": the password is empty
}

// A *Config answers logins: a uacontext.Server looks named consoles up
// through it.
func ExampleConfig_LookupConsole() {
	cfg, err := config.Parse("consoles.conf", []byte(`
Profile {
  Name = reader
  Command ACL = list, llist, .jobs
}
Console {
  Name = user1
  Password = "pw1"
  Command ACL = whoami
  Job ACL = BackupClient1
  Profile = reader
}
`), config.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	var src uacontext.ConsoleSource = cfg
	c, err := src.LookupConsole(context.Background(), "user1")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Name, c.Key)
	fmt.Println(c.ACL[uacontext.ACLCommand])
	fmt.Println(c.ACL.Allow(uacontext.ACLJob, "BackupClient1"), c.ACL.Allow(uacontext.ACLJob, "BackupCatalog"))
	_, err = src.LookupConsole(context.Background(), "user2")
	fmt.Println(err)
	// Output:
	// user1 6e6fdf956d04289354dcf1619e28fe77
	// [whoami list llist .jobs]
	// true false
	// config: console "user2": uacontext: unknown console
}

// Options.FS reads the configuration from any file system, here a
// directory standing for the root: absolute paths, of Load and of
// @include, are looked up in it.
func ExampleOptions_fS() {
	cfg, err := config.Load("/etc/bareos", config.Options{FS: os.DirFS("testdata/classic")})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Director.Name, cfg.Director.Description)
	for _, f := range cfg.Files {
		fmt.Println(f)
	}
	// Output:
	// classic-dir from an include
	// /etc/bareos/bareos-dir.conf
	// /etc/bareos/conf.d/director-extra.inc
	// /etc/bareos/conf.d/b-console.conf
	// /etc/bareos/conf.d/a-console.conf
	// /etc/bareos/conf.d/with space.inc
}
