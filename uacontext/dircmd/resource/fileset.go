package resource

// IncludeExclude is an Include or Exclude block of a FileSet. An Exclude
// block uses only Files.
type IncludeExclude struct {
	Options              []Options
	Files                []string // File = entries
	Plugins              []string // Plugin = entries
	ExcludeDirContaining []string
}

// Option is one setting of an Options block, printed in the order of the
// block: Key = Value, with Value quoted when Quoted (Signature,
// Compression, Replace, ...) and as Yes/No when IsBool.
type Option struct {
	Key    string
	Value  string
	Bool   bool
	IsBool bool
	Quoted bool
}

// Options is an Options block of an Include block.
type Options struct {
	// Settings are printed first, in order (the Director prints them in
	// the order of its option string, which follows the configuration).
	Settings []Option

	Regex, RegexDir, RegexFile []string
	Wild, WildDir, WildFile    []string
	WildBase, Base             []string
	FsType, DriveType, Meta    []string

	Plugin, Reader, Writer string
}

// Quoted returns a quoted setting, e.g. Quoted("Signature", "XXH128").
func Quoted(key, value string) Option { return Option{Key: key, Value: value, Quoted: true} }

// Flag returns a yes/no setting, e.g. Flag("AclSupport", true).
func Flag(key string, b bool) Option { return Option{Key: key, Bool: b, IsBool: true} }

// Plain returns an unquoted setting (the Director prints Size this way).
func Plain(key, value string) Option { return Option{Key: key, Value: value} }

// HasPlugin reports whether any Include block of the FileSet has a
// Plugin entry (a plugin fileset).
func (r *Resource) HasPlugin() bool {
	for _, inc := range r.include {
		if len(inc.Plugins) > 0 {
			return true
		}
	}
	return false
}

func (r *Resource) printFileSet(p Printer) {
	p.ResourceStart("FileSets", "FileSet", r.name, false)
	p.KeyQuotedString("Name", r.name, false)
	if i := lookupItem(FileSet, "Description"); r.vals[i].set {
		p.KeyQuotedString("Description", r.vals[i].v.(string), false)
	}
	if len(r.include) > 0 {
		p.ArrayStart("Include", false, "")
		for _, inc := range r.include {
			p.SubResourceStartFormat(null, false, "Include {\n")
			if len(inc.Options) > 0 {
				p.ArrayStart("Options", false, "")
				for _, o := range inc.Options {
					printOptions(p, o)
				}
				p.ArrayEnd("Options", false, "")
			}
			p.KeyMultipleStringsOnePerLine("File", inc.Files, false, true, true)
			p.KeyMultipleStringsOnePerLine("Plugin", inc.Plugins, false, true, false)
			p.KeyMultipleStringsOnePerLine("ExcludeDirContaining", inc.ExcludeDirContaining, false, true, false)
			p.SubResourceEndFormat(null, false, "}\n")
		}
		p.ArrayEnd("Include", false, "")
	}
	if len(r.exclude) > 0 {
		p.ArrayStart("Exclude", false, "")
		for _, exc := range r.exclude {
			p.SubResourceStartFormat(null, false, "Exclude {\n")
			p.KeyMultipleStringsOnePerLine("File", exc.Files, false, true, false)
			p.SubResourceEndFormat(null, false, "}\n")
		}
		p.ArrayEnd("Exclude", false, "")
	}
	p.ResourceEnd("FileSets", r.name, false)
}

func printOptions(p Printer, o Options) {
	p.SubResourceStartFormat(null, false, "Options {\n")
	for _, s := range o.Settings {
		switch {
		case s.IsBool:
			p.KeyBool(s.Key, s.Bool, false)
		case s.Quoted:
			p.KeyQuotedString(s.Key, s.Value, false)
		default:
			p.KeyUnquotedString(s.Key, s.Value, false)
		}
	}
	lists := []struct {
		key  string
		list []string
	}{
		{"Regex", o.Regex}, {"RegexDir", o.RegexDir}, {"RegexFile", o.RegexFile},
		{"Wild", o.Wild}, {"WildDir", o.WildDir}, {"WildFile", o.WildFile},
		{"WildBase", o.WildBase}, {"Base", o.Base}, {"FsType", o.FsType},
		{"DriveType", o.DriveType}, {"Meta", o.Meta},
	}
	for _, l := range lists {
		p.KeyMultipleStringsOnePerLine(l.key, l.list, false, true, false)
	}
	if o.Plugin != "" {
		p.KeyUnquotedString("Plugin", o.Plugin, false)
	}
	if o.Reader != "" {
		p.KeyUnquotedString("Reader", o.Reader, false)
	}
	if o.Writer != "" {
		p.KeyUnquotedString("Writer", o.Writer, false)
	}
	p.SubResourceEndFormat(null, false, "}\n")
}
