package resource

import (
	"github.com/uaformat/uaformat/internal/ascii"
	"strconv"
	"strings"
)

// Type is a resource type of the Director configuration. The values
// follow the Director's order of resource types, which is also the order
// of "show all".
type Type int

// The resource types.
const (
	Director Type = iota
	Client
	JobDefs
	Job
	Storage
	Catalog
	Schedule
	FileSet
	Pool
	Messages
	Counter
	Profile
	Console
	User

	NumTypes = 14 // number of resource types
)

var typeNames = [NumTypes]struct{ name, group string }{
	{"Director", "Directors"},
	{"Client", "Clients"},
	{"JobDefs", "JobDefs"},
	{"Job", "Jobs"},
	{"Storage", "Storages"},
	{"Catalog", "Catalogs"},
	{"Schedule", "Schedules"},
	{"FileSet", "FileSets"},
	{"Pool", "Pools"},
	{"Messages", "Messages"},
	{"Counter", "Counters"},
	{"Profile", "Profiles"},
	{"Console", "Consoles"},
	{"User", "Users"},
}

// Valid reports whether t is one of the defined types.
func (t Type) Valid() bool { return t >= 0 && t < NumTypes }

// String returns the resource keyword of the configuration syntax, such
// as "Client" or "FileSet".
func (t Type) String() string {
	if !t.Valid() {
		return "Type(" + strconv.Itoa(int(t)) + ")"
	}
	return typeNames[t].name
}

// Group returns the plural name under which the resources of the type
// are grouped in JSON output (lowercased there), such as "Clients".
func (t Type) Group() string {
	if !t.Valid() {
		return t.String()
	}
	return typeNames[t].group
}

// ParseType returns the type whose keyword is name, ignoring case.
func ParseType(name string) (Type, bool) {
	for t := range Type(NumTypes) {
		if ascii.EqualFold(typeNames[t].name, name) {
			return t, true
		}
	}
	return 0, false
}

// kind is the value type of a directive (the Director's CFG_TYPE_*).
type kind uint8

const (
	kName           kind = iota // resource name, quoted
	kStr                        // string (STR, DIR, STRNAME), quoted, may be unset
	kStdStr                     // string that is "" when unset (STDSTR, STDSTRDIR)
	kDirOrCmd                   // path or |command, printed escaped and quoted
	kPassword                   // password, plain or [md5]
	kRes                        // name of another resource, quoted
	kResList                    // list of resource names, one per line
	kStrList                    // list of strings, one per line (ALIST_STR, STR_VECTOR, PLUGIN_NAMES)
	kInt32                      // signed number
	kPint32                     // unsigned number
	kInt64                      // signed 64-bit number
	kSpeed                      // bytes per second, unsigned
	kSize64                     // size, printed with binary prefixes ("50 g")
	kSize32                     // 32-bit size
	kTime                       // duration in seconds, printed as "1 months 2 days "
	kBool                       // yes/no
	kBit                        // yes/no flag that has no default
	kLabel                      // tape label type
	kAddresses                  // Director listen addresses
	kAddrPart                   // Port/Address shorthands of the addresses: never printed
	kACL                        // access control list, one line
	kAudit                      // audited commands, one line
	kKeyword                    // one word of a fixed set (protocol, replace, pool type, ...)
	kJobType                    // job type keyword, nothing printed when unset
	kLevel                      // job level keyword, "" when unset
	kMigType                    // selection type keyword, nothing printed when unset
	kDevice                     // storage devices, one line, quoted
	kRunScript                  // RunScript blocks
	kShortRunScript             // RunBeforeJob and friends: stored as RunScript
	kRun                        // schedule runs
	kMsgs                       // message destinations: printed by the Messages layout
	kIncExc                     // FileSet Include/Exclude: printed by the FileSet layout
)

// item is one directive of a resource type.
type item struct {
	name       string
	kind       kind
	def        string // default in configuration syntax; "" is none
	required   bool
	deprecated bool
	aliases    []string
	code       int // ACL kind for kACL; which block for kIncExc
	keywords   []string
}

// flag bits for the compact tables below.
const (
	req = 1 << iota
	dep
)

func it(name string, k kind, def string, flags int, aliases ...string) item {
	return item{name: name, kind: k, def: def, required: flags&req != 0, deprecated: flags&dep != 0, aliases: aliases}
}

func kw(name, def string, keywords ...string) item {
	return item{name: name, kind: kKeyword, def: def, keywords: keywords}
}

// The keyword sets of the keyword directives.
var (
	authProtocols = []string{"Native", "NDMPV2", "NDMPV3", "NDMPV4"}
	authTypes     = []string{"None", "Clear", "MD5"}
	protocols     = []string{"Native", "NDMP_BAREOS", "NDMP", "NDMP_NATIVE"}
	replaceOpts   = []string{"Always", "IfNewer", "IfOlder", "Never"}
	purgeActions  = []string{"None", "Truncate"}
	poolTypes     = []string{"Backup", "Copy", "Cloned", "Archive", "Migration", "Scratch"}
	labelTypes    = []string{"bareos", "ansi", "ibm"}
	jobTypes      = []string{"Backup", "Admin", "Archive", "Verify", "Restore", "Migrate", "Copy", "Consolidate"}
	jobLevels     = []string{"Full", "Base", "Incremental", "Differential", "Since", "VirtualFull",
		"Catalog", "InitCatalog", "VolumeToCatalog", "DiskToCatalog", "Data"}
	migTypes = []string{"SmallestVolume", "OldestVolume", "PoolOccupancy", "PoolTime",
		"PoolUncopiedJobs", "Client", "Volume", "Job", "SqlQuery"}
)

func acls() []item {
	names := []string{"JobAcl", "ClientAcl", "StorageAcl", "ScheduleAcl", "PoolAcl", "CommandAcl",
		"FileSetAcl", "CatalogAcl", "WhereAcl", "PluginOptionsAcl"}
	out := make([]item, len(names))
	for i, n := range names {
		out[i] = item{name: n, kind: kACL, code: i}
	}
	return out
}

func tlsItems() []item {
	return []item{
		it("TlsAuthenticate", kBool, "false", dep),
		it("TlsEnable", kBool, "true", 0),
		it("TlsRequire", kBool, "true", 0),
		it("TlsCipherList", kStdStr, "", 0),
		it("TlsCipherSuites", kStdStr, "", 0),
		it("TlsDhFile", kStdStr, "", 0),
		it("TlsProtocol", kStdStr, "", 0),
		it("TlsVerifyPeer", kBool, "false", 0),
		it("TlsCaCertificateFile", kStdStr, "", 0),
		it("TlsCaCertificateDir", kStdStr, "", 0),
		it("TlsCertificateRevocationList", kStdStr, "", 0),
		it("TlsCertificate", kStdStr, "", 0),
		it("TlsKey", kStdStr, "", 0),
		it("TlsAllowedCn", kStrList, "", 0),
	}
}

func cat(parts ...[]item) []item {
	var out []item
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// schemas holds the directives of every resource type in the Director's
// order.
var schemas = [NumTypes][]item{
	Director: cat([]item{
		it("Name", kName, "", req),
		it("Description", kStr, "", 0),
		it("Messages", kRes, "", 0),
		it("Port", kAddrPart, "9101", 0, "DirPort"),
		it("Address", kAddrPart, "9101", 0, "DirAddress"),
		it("Addresses", kAddresses, "9101", 0, "DirAddresses"),
		it("SourceAddress", kAddrPart, "0", 0, "DirSourceAddress"),
		it("QueryFile", kStr, "/usr/lib/bareos/scripts/query.sql", 0),
		it("WorkingDirectory", kStr, "/var/lib/bareos", 0),
		it("PluginDirectory", kStr, "", 0),
		it("PluginNames", kStrList, "", 0),
		it("ScriptsDirectory", kStr, "/usr/lib/bareos/scripts", 0),
		it("Subscriptions", kPint32, "0", 0),
		it("MaximumConcurrentJobs", kPint32, "1", 0),
		it("MaximumConsoleConnections", kPint32, "20", 0),
		it("Password", kPassword, "", req),
		it("FdConnectTimeout", kTime, "180", 0),
		it("SdConnectTimeout", kTime, "1800", 0),
		it("HeartbeatInterval", kTime, "0", 0),
		it("StatisticsRetention", kTime, "160704000", dep),
		it("StatisticsCollectInterval", kPint32, "0", dep),
		it("VerId", kStr, "", 0),
		it("KeyEncryptionKey", kPassword, "", 0),
		it("NdmpSnooping", kBool, "", 0),
		it("NdmpLogLevel", kPint32, "4", 0),
		it("NdmpNamelistFhinfoSetZeroForInvalidUquad", kBool, "false", 0),
		it("AbsoluteJobTimeout", kPint32, "", 0),
		it("Auditing", kBool, "false", 0),
		{name: "AuditEvents", kind: kAudit},
		it("SecureEraseCommand", kStr, "", 0),
		it("LogTimestampFormat", kStr, "%d-%b %H:%M", 0),
		it("EnableKtls", kBool, "false", 0),
	}, tlsItems()),
	Client: cat([]item{
		it("Name", kName, "", req),
		it("Description", kStr, "", 0),
		kw("Protocol", "Native", authProtocols...),
		kw("AuthType", "None", authTypes...),
		it("Address", kStr, "", req, "FdAddress"),
		it("LanAddress", kStr, "", 0),
		it("Port", kPint32, "9102", 0, "FdPort"),
		it("Username", kStr, "", 0),
		it("Password", kPassword, "", req, "FdPassword"),
		it("Catalog", kRes, "", 0),
		it("Passive", kBool, "false", 0),
		it("ConnectionFromDirectorToClient", kBool, "true", 0),
		it("ConnectionFromClientToDirector", kBool, "false", 0),
		it("Enabled", kBool, "true", 0),
		it("HardQuota", kSize64, "0", 0),
		it("SoftQuota", kSize64, "0", 0),
		it("SoftQuotaGracePeriod", kTime, "0", 0),
		it("StrictQuotas", kBool, "false", 0),
		it("QuotaIncludeFailedJobs", kBool, "true", 0),
		it("FileRetention", kTime, "5184000", dep),
		it("JobRetention", kTime, "15552000", dep),
		it("HeartbeatInterval", kTime, "0", 0),
		it("AutoPrune", kBool, "false", dep),
		it("MaximumConcurrentJobs", kPint32, "1", 0),
		it("MaximumBandwidthPerJob", kSpeed, "", 0),
		it("NdmpLogLevel", kPint32, "4", 0),
		it("NdmpBlockSize", kSize32, "64512", 0),
		it("NdmpUseLmdb", kBool, "true", 0),
	}, tlsItems()),
	JobDefs: jobItems(),
	Job:     jobItems(),
	Storage: cat([]item{
		it("Name", kName, "", req),
		it("Description", kStr, "", 0),
		kw("Protocol", "Native", authProtocols...),
		kw("AuthType", "None", authTypes...),
		it("Address", kStr, "", req, "SdAddress"),
		it("LanAddress", kStr, "", 0),
		it("Port", kPint32, "9103", 0, "SdPort"),
		it("Username", kStr, "", 0),
		it("Password", kPassword, "", req, "SdPassword"),
		it("Device", kDevice, "", req),
		it("MediaType", kStr, "", req),
		it("AutoChanger", kBool, "false", 0),
		it("Enabled", kBool, "true", 0),
		it("AllowCompression", kBool, "true", 0),
		it("HeartbeatInterval", kTime, "0", 0),
		it("CacheStatusInterval", kTime, "30", 0),
		it("MaximumConcurrentJobs", kPint32, "1", 0),
		it("MaximumConcurrentReadJobs", kPint32, "0", 0),
		it("PairedStorage", kRes, "", 0),
		it("MaximumBandwidthPerJob", kSpeed, "", 0),
		it("CollectStatistics", kBool, "false", dep),
		it("NdmpChangerDevice", kStr, "", 0),
	}, tlsItems()),
	Catalog: {
		it("Name", kName, "", req),
		it("Description", kStr, "", 0),
		it("DbAddress", kStr, "", 0, "Address"),
		it("DbPort", kPint32, "", 0, "Port"),
		it("DbPassword", kPassword, "", 0, "Password"),
		it("DbUser", kStr, "", req, "User"),
		it("DbName", kStr, "", req),
		it("DbSocket", kStr, "", 0, "Socket"),
		it("MultipleConnections", kBit, "", dep),
		it("DisableBatchInsert", kBool, "false", dep),
		it("Reconnect", kBool, "true", 0),
		it("ExitOnFatal", kBool, "false", 0),
		it("MinConnections", kPint32, "1", 0),
		it("MaxConnections", kPint32, "5", 0),
		it("IncConnections", kPint32, "1", 0),
		it("IdleTimeout", kPint32, "30", 0),
		it("ValidateTimeout", kPint32, "120", 0),
	},
	Schedule: {
		it("Name", kName, "", req),
		it("Description", kStr, "", 0),
		it("Run", kRun, "", 0),
		it("Enabled", kBool, "true", 0),
	},
	FileSet: {
		it("Name", kName, "", req),
		it("Description", kStr, "", 0),
		{name: "Include", kind: kIncExc, code: 0},
		{name: "Exclude", kind: kIncExc, code: 1},
		it("IgnoreFileSetChanges", kBool, "false", 0),
		it("EnableVSS", kBool, "true", 0),
	},
	Pool: {
		it("Name", kName, "", req),
		it("Description", kStr, "", 0),
		{name: "PoolType", kind: kKeyword, def: "Backup", keywords: poolTypes},
		it("LabelFormat", kStr, "", 0),
		{name: "LabelType", kind: kLabel, deprecated: true, keywords: labelTypes},
		it("CleaningPrefix", kStr, "CLN", 0),
		it("UseCatalog", kBool, "true", 0),
		it("PurgeOldestVolume", kBool, "false", 0),
		{name: "ActionOnPurge", kind: kKeyword, keywords: purgeActions},
		it("RecycleOldestVolume", kBool, "false", 0),
		it("RecycleCurrentVolume", kBool, "false", 0),
		it("MaximumVolumes", kPint32, "", 0),
		it("MaximumVolumeJobs", kPint32, "", 0),
		it("MaximumVolumeFiles", kPint32, "", 0),
		it("MaximumVolumeBytes", kSize64, "", 0),
		it("CatalogFiles", kBool, "true", 0),
		it("VolumeRetention", kTime, "31536000", 0),
		it("VolumeUseDuration", kTime, "", 0),
		it("MigrationTime", kTime, "", 0),
		it("MigrationHighBytes", kSize64, "", 0),
		it("MigrationLowBytes", kSize64, "", 0),
		it("NextPool", kRes, "", 0),
		it("Storage", kResList, "", 0),
		it("AutoPrune", kBool, "true", 0),
		it("Recycle", kBool, "true", 0),
		it("RecyclePool", kRes, "", 0),
		it("ScratchPool", kRes, "", 0),
		it("Catalog", kRes, "", 0),
		it("FileRetention", kTime, "", dep),
		it("JobRetention", kTime, "", dep),
		it("MinimumBlockSize", kSize32, "", 0),
		it("MaximumBlockSize", kSize32, "", 0),
	},
	Messages: {
		it("Name", kName, "", 0),
		it("Description", kStr, "", 0),
		it("MailCommand", kStdStr, "", 0),
		it("OperatorCommand", kStdStr, "", 0),
		it("TimestampFormat", kStdStr, "", 0),
	},
	Counter: {
		it("Name", kName, "", req),
		it("Description", kStr, "", 0),
		it("Minimum", kInt32, "0", 0),
		it("Maximum", kPint32, "2147483647", 0),
		it("WrapCounter", kRes, "", 0),
		it("Catalog", kRes, "", 0),
	},
	Profile: cat([]item{
		it("Name", kName, "", req),
		it("Description", kStr, "", 0),
	}, acls()),
	Console: cat([]item{
		it("Name", kName, "", req),
		it("Description", kStr, "", 0),
		it("Password", kPassword, "", req),
	}, acls(), []item{
		it("Profile", kResList, "", 0),
		it("UsePamAuthentication", kBool, "false", 0),
	}, tlsItems()),
	User: cat([]item{
		it("Name", kName, "", req),
		it("Description", kStr, "", 0),
	}, acls(), []item{
		it("Profile", kResList, "", 0),
	}),
}

func jobItems() []item {
	return []item{
		it("Name", kName, "", req),
		it("Description", kStr, "", 0),
		{name: "Type", kind: kJobType, required: true, keywords: jobTypes},
		{name: "Protocol", kind: kKeyword, def: "Native", keywords: protocols},
		it("BackupFormat", kStr, "Native", 0),
		{name: "Level", kind: kLevel, keywords: jobLevels},
		it("Messages", kRes, "", req),
		it("Storage", kResList, "", 0),
		it("Pool", kRes, "", req),
		it("FullBackupPool", kRes, "", 0),
		it("VirtualFullBackupPool", kRes, "", 0),
		it("IncrementalBackupPool", kRes, "", 0),
		it("DifferentialBackupPool", kRes, "", 0),
		it("NextPool", kRes, "", 0),
		it("Client", kRes, "", 0),
		it("FileSet", kRes, "", 0),
		it("Schedule", kRes, "", 0),
		it("JobToVerify", kRes, "", 0, "VerifyJob"),
		it("Catalog", kRes, "", 0),
		it("JobDefs", kRes, "", 0),
		it("Run", kStrList, "", 0),
		it("Where", kStr, "", 0),
		it("RegexWhere", kStr, "", 0),
		it("StripPrefix", kStr, "", 0),
		it("AddPrefix", kStr, "", 0),
		it("AddSuffix", kStr, "", 0),
		it("Bootstrap", kStr, "", 0),
		it("WriteBootstrap", kDirOrCmd, "", 0),
		{name: "Replace", kind: kKeyword, def: "Always", keywords: replaceOpts},
		it("MaximumBandwidth", kSpeed, "", 0),
		it("MaxRunSchedTime", kTime, "", 0),
		it("MaxRunTime", kTime, "", 0),
		it("FullMaxRuntime", kTime, "", 0),
		it("IncrementalMaxRuntime", kTime, "", 0),
		it("DifferentialMaxRuntime", kTime, "", 0),
		it("MaxWaitTime", kTime, "", 0),
		it("MaxStartDelay", kTime, "", 0),
		it("MaxFullInterval", kTime, "", 0),
		it("MaxVirtualFullInterval", kTime, "", 0),
		it("MaxDiffInterval", kTime, "", 0),
		it("PrefixLinks", kBool, "false", 0),
		it("PruneJobs", kBool, "false", 0),
		it("PruneFiles", kBool, "false", 0),
		it("PruneVolumes", kBool, "false", 0),
		it("PurgeMigrationJob", kBool, "false", 0),
		it("Enabled", kBool, "true", 0),
		it("SpoolAttributes", kBool, "false", 0),
		it("SpoolData", kBool, "false", 0),
		it("SpoolSize", kSize64, "", 0),
		it("RerunFailedLevels", kBool, "false", 0),
		it("PreferMountedVolumes", kBool, "true", 0),
		it("RunBeforeJob", kShortRunScript, "", 0),
		it("RunAfterJob", kShortRunScript, "", 0),
		it("RunAfterFailedJob", kShortRunScript, "", 0),
		it("ClientRunBeforeJob", kShortRunScript, "", 0),
		it("ClientRunAfterJob", kShortRunScript, "", 0),
		it("MaximumConcurrentJobs", kPint32, "1", 0),
		it("RescheduleOnError", kBool, "false", 0),
		it("RescheduleInterval", kTime, "1800", 0),
		it("RescheduleTimes", kPint32, "5", 0),
		it("Priority", kPint32, "10", 0),
		it("AllowMixedPriority", kBool, "false", 0),
		it("SelectionPattern", kStr, "", 0),
		it("RunScript", kRunScript, "", 0),
		{name: "SelectionType", kind: kMigType, keywords: migTypes},
		it("Accurate", kBool, "false", 0),
		it("AllowDuplicateJobs", kBool, "true", 0),
		it("AllowHigherDuplicates", kBool, "true", dep),
		it("CancelLowerLevelDuplicates", kBool, "false", 0),
		it("CancelQueuedDuplicates", kBool, "false", 0),
		it("CancelRunningDuplicates", kBool, "false", 0),
		it("SaveFileHistory", kBool, "true", 0),
		it("FileHistorySize", kSize64, "10000000", 0),
		it("FdPluginOptions", kStrList, "", 0),
		it("SdPluginOptions", kStrList, "", 0),
		it("DirPluginOptions", kStrList, "", 0),
		it("MaxConcurrentCopies", kPint32, "100", 0),
		it("AlwaysIncremental", kBool, "false", 0),
		it("AlwaysIncrementalJobRetention", kTime, "0", 0),
		it("AlwaysIncrementalKeepNumber", kPint32, "0", 0),
		it("AlwaysIncrementalMaxFullAge", kTime, "", 0),
		it("MaxFullConsolidations", kPint32, "0", 0),
		it("RunOnIncomingConnectInterval", kTime, "0", 0),
	}
}

// Directives returns the directive names of the type in the Director's
// order (the names show prints).
func (t Type) Directives() []string {
	if !t.Valid() {
		return nil
	}
	out := make([]string, len(schemas[t]))
	for i, it := range schemas[t] {
		out[i] = it.name
	}
	return out
}

// normName folds a directive name for lookup: the Director ignores case
// and blanks in keywords.
func normName(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// lookupItem returns the index of the directive called name (or one of
// its aliases) in the type's table.
func lookupItem(t Type, name string) int {
	if !t.Valid() {
		return -1
	}
	n := normName(name)
	for i, it := range schemas[t] {
		if normName(it.name) == n {
			return i
		}
		for _, a := range it.aliases {
			if normName(a) == n {
				return i
			}
		}
	}
	return -1
}
