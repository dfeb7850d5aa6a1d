// Package config reads a Bareos Director configuration in Bareos's own
// syntax: the Director, Console, Profile and User resources, with every
// ACL kind, as the console layer needs them, so that a daemon can be
// pointed at an existing Bareos configuration.
//
// # Loading
//
// Load reads a file, or a configuration directory the way bareos-dir -c
// DIR does: DIR/bareos-dir.conf if it exists, and otherwise every
// DIR/bareos-dir.d/*/*.conf (the Director's default layout, with one
// directory per resource type: director/, console/, profile/, job/, ...).
// Parse reads text. Both validate what they read and return an *Error
// naming the file, the line and the problem (several joined with
// errors.Join when several resources are wrong).
//
// # Syntax
//
// A configuration is a sequence of resources:
//
//	Console {
//	  Name = user1
//	  Password = "pw1"                 # or "[md5]<32 hex digits>"
//	  Command ACL = whoami, list, .jobs
//	  Job ACL = BackupClient1, "!BackupCatalog"
//	  Job ACL = RestoreFiles            # repeated ACL lines append
//	  Profile = operator
//	}
//
// The lexer follows the Director's: keywords are case-insensitive and
// blanks inside them are ignored ("Command ACL" is "CommandACL"); ';'
// ends a directive like a newline; '#' starts a comment; quoted strings
// know backslash escapes, may span lines and are joined with a quoted
// string that follows on the same or the next line; an unquoted value
// ends at a blank or one of = { } ; , # ".
//
// "@path" at the start of a token includes files: their text takes the
// place of the directive, anywhere (between resources or inside one).
// The path may be quoted ("@\"/etc/my dir/x.conf\""). Relative paths are
// relative to the working directory, as for the Director, or to
// Options.Dir. Glob patterns (*, ? and [...]) include every matching
// file; a pattern with * or ? that matches nothing is ignored, any other
// missing file is an error. As in the Director's lexer, the files of one
// pattern are stacked, so the last match (in sorted order) is read first.
// Command includes ("@|command") are never executed: they are an error.
// Includes nest at most MaxIncludeDepth deep, and the sizes read are
// bounded (MaxFiles, MaxFileSize, MaxTotalSize, MaxTokenLength).
//
// # Resources
//
// Every directive the Director accepts in Director, Console, Profile and
// User resources is accepted. The ones the console layer uses are
// fields (Director.Password, Console.ACL, TLSConfig, ...); the others are
// kept as written in Other. Directives that only older Directors accept
// (Pid Directory, Maximum Connections, Run ACL, ...) are accepted and
// ignored with a warning notice. An unknown directive in one of these
// resources is an error.
//
// Resources of the Director's other types (Job, JobDefs, Client, Storage,
// Pool, FileSet, Schedule, Messages, Catalog, Counter) are skipped as a
// whole, nested blocks included, with a debug-level notice; resources of
// unknown types are skipped with a warning notice. Notices name the file
// and the line; they go to Options.Logger and into Config.Notices.
//
// # Validation
//
// Besides syntax, reading checks what the Director checks and what it
// would silently get wrong: resource names must be valid Bareos names
// (letters, digits and ":.-_/ ", no leading or trailing blank, shorter
// than 128 bytes) and unique per resource type; a Console must not be
// called "*UserAgent*", the default console; Name and Password are
// required where the Director requires them and passwords must not be
// empty; "[md5]" passwords need 32 hex digits; ACL entries must use the
// Director's characters and, when they are regular expressions, compile
// (the Director would let a broken one match nothing); profiles that are
// referred to must exist; there is at most one Director resource.
//
// # Logins
//
// A *Config is a uacontext.ConsoleSource: LookupConsole returns a named
// console with its key (Password.Key) and its ACLs followed by those of
// its profiles, built once at load time.
package config
