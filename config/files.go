package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// The Director's configuration directory layout (bareos-dir -c DIR).
const (
	// DirectorConfigFile is the configuration file the Director reads in
	// a configuration directory, if present.
	DirectorConfigFile = "bareos-dir.conf"
	// DirectorConfigSubdir is the directory of resource files read when
	// DirectorConfigFile is absent: DIR/bareos-dir.d/<resource>/*.conf.
	DirectorConfigSubdir = "bareos-dir.d"
)

// errIsDir marks a directory given where a file was expected.
var errIsDir = errors.New("is a directory")

// loader reads configuration files, from the operating system or from
// Options.FS, with the Director's rules for paths and @include, and keeps
// count of what it read.
type loader struct {
	opts    Options
	files   []string // in the order they were read
	nfiles  int      // files pushed
	nbytes  int
	notices []Notice
}

// notice records a notice.
func (ld *loader) notice(pos Position, level slog.Level, format string, args ...any) {
	ld.notices = append(ld.notices, Notice{Pos: pos, Level: level, Msg: fmt.Sprintf(format, args...)})
}

// resolve turns a path of the configuration (as given to Load, or of an
// @include) into the path the files are looked up by: absolute paths stay,
// relative ones are joined to Options.Dir if it is set, and otherwise
// stay relative (to the working directory, or to the root of Options.FS),
// as the Director resolves them relative to its working directory.
func (ld *loader) resolve(p string) string {
	p = filepath.ToSlash(p)
	switch {
	case strings.HasPrefix(p, "/"):
		return path.Clean(p)
	case ld.opts.Dir != "":
		return path.Join(filepath.ToSlash(ld.opts.Dir), p)
	}
	return path.Clean(p)
}

// fsName maps a resolved path to a name in Options.FS.
func fsName(p string) string {
	p = strings.TrimPrefix(path.Clean(p), "/")
	if p == "" {
		return "."
	}
	return p
}

func (ld *loader) stat(p string) (fs.FileInfo, error) {
	if ld.opts.FS != nil {
		return fs.Stat(ld.opts.FS, fsName(p))
	}
	return os.Stat(filepath.FromSlash(p))
}

func (ld *loader) readDir(p string) ([]fs.DirEntry, error) {
	if p == "" {
		p = "."
	}
	if ld.opts.FS != nil {
		return fs.ReadDir(ld.opts.FS, fsName(p))
	}
	return os.ReadDir(filepath.FromSlash(p))
}

func (ld *loader) open(p string) (io.ReadCloser, error) {
	if ld.opts.FS != nil {
		return ld.opts.FS.Open(fsName(p))
	}
	return os.Open(filepath.FromSlash(p))
}

// readFile reads one configuration file within the limits. A directory
// reads as errIsDir; devices, pipes and sockets are refused.
func (ld *loader) readFile(p string) (string, error) {
	fi, err := ld.stat(p)
	if err != nil {
		return "", err
	}
	if fi.IsDir() {
		return "", errIsDir
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("not a regular file (%s)", fi.Mode().Type())
	}
	if ld.nfiles >= MaxFiles {
		return "", fmt.Errorf("%w: more than %d configuration files", ErrTooLarge, MaxFiles)
	}
	if fi.Size() > MaxFileSize {
		return "", fmt.Errorf("%w: the file is larger than %d bytes", ErrTooLarge, MaxFileSize)
	}
	f, err := ld.open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return "", err
	}
	if len(b) > MaxFileSize {
		return "", fmt.Errorf("%w: the file is larger than %d bytes", ErrTooLarge, MaxFileSize)
	}
	ld.nbytes += len(b)
	if ld.nbytes > MaxTotalSize {
		return "", fmt.Errorf("%w: more than %d bytes of configuration in all", ErrTooLarge, MaxTotalSize)
	}
	return string(b), nil
}

// hasMeta reports whether a path component is a glob pattern.
func hasMeta(s string) bool { return strings.ContainsAny(s, `*?[\`) }

// isWildcard reports whether the Director ignores an @include pattern
// that matches nothing (it does for * and ?).
func isWildcard(s string) bool { return strings.ContainsAny(s, "*?") }

// glob expands a resolved pattern the way glob(3) does for the Director:
// *, ? and [...] (also [!...]) match within one path component, names
// starting with '.' are matched only by a pattern component starting with
// '.', unreadable directories match nothing, and the result holds only
// existing paths, sorted.
func (ld *loader) glob(pattern string) ([]string, error) {
	if !hasMeta(pattern) {
		if _, err := ld.stat(pattern); err != nil {
			return nil, nil
		}
		return []string{pattern}, nil
	}
	prefix, rest := "", pattern
	if strings.HasPrefix(pattern, "/") {
		prefix, rest = "/", pattern[1:]
	}
	cur := []string{prefix}
	for _, comp := range strings.Split(rest, "/") {
		if comp == "" {
			continue
		}
		var next []string
		for _, dir := range cur {
			if !hasMeta(comp) {
				next = append(next, joinPath(dir, comp))
				continue
			}
			ents, err := ld.readDir(dir)
			if err != nil {
				continue
			}
			pat := strings.ReplaceAll(comp, "[!", "[^") // fnmatch's negation
			for _, e := range ents {
				name := e.Name()
				if strings.HasPrefix(name, ".") && !strings.HasPrefix(comp, ".") {
					continue
				}
				ok, err := path.Match(pat, name)
				if err != nil {
					return nil, fmt.Errorf("bad pattern %q", comp)
				}
				if ok {
					next = append(next, joinPath(dir, name))
				}
			}
			if len(next) > MaxFiles {
				return nil, fmt.Errorf("%w: pattern %q matches more than %d paths", ErrTooLarge, pattern, MaxFiles)
			}
		}
		cur = next
	}
	out := cur[:0]
	for _, p := range cur {
		if _, err := ld.stat(p); err == nil {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out, nil
}

func joinPath(dir, name string) string {
	switch dir {
	case "":
		return name
	case "/":
		return "/" + name
	}
	return dir + "/" + name
}

// pushFiles reads the files and pushes them on the lexer in order, so
// that, as in the Director's lexer, the last one is read first.
func (ld *loader) pushFiles(lx *lexer, at Position, names []string) error {
	for _, name := range names {
		text, err := ld.readFile(name)
		if errors.Is(err, errIsDir) {
			// The Director reads a directory as an empty file.
			ld.notice(at, slog.LevelWarn, "%s is a directory; read as an empty file", name)
			continue
		}
		if err != nil {
			sentinel := ErrInclude
			if errors.Is(err, ErrTooLarge) {
				sentinel = ErrTooLarge
			}
			return &Error{Pos: at, Msg: fmt.Sprintf("cannot read configuration file %s: %v", name, err), Err: sentinel}
		}
		ld.nfiles++
		if err := lx.push(name, text); err != nil {
			var e *Error
			if errors.As(err, &e) {
				return e
			}
			return &Error{Pos: at, Msg: err.Error(), Err: ErrTooLarge}
		}
	}
	return nil
}

// include handles "@path" found at pos.
func (ld *loader) include(lx *lexer, pos Position, p string) error {
	switch {
	case p == "":
		return &Error{Pos: pos, Msg: "@ without a file name", Err: ErrInclude}
	case strings.HasPrefix(p, "|"):
		return &Error{Pos: pos, Msg: fmt.Sprintf("command includes are not executed: @%s", quoteShort(p)), Err: ErrInclude}
	}
	resolved := ld.resolve(p)
	names, err := ld.glob(resolved)
	if err != nil {
		return &Error{Pos: pos, Msg: fmt.Sprintf("@%s: %v", p, err), Err: ErrInclude}
	}
	if len(names) == 0 {
		if isWildcard(p) {
			ld.notice(pos, slog.LevelDebug, "no file matches @%s", p)
			return nil
		}
		return &Error{Pos: pos, Msg: fmt.Sprintf("cannot open included configuration file %s: no such file", resolved), Err: ErrInclude}
	}
	return ld.pushFiles(lx, pos, names)
}

// start finds what Load reads for path, like bareos-dir -c PATH: a file
// is read as it is; in a directory DIR, DIR/bareos-dir.conf if it exists,
// and otherwise every DIR/bareos-dir.d/*/*.conf.
func (ld *loader) start(lx *lexer, p string) error {
	return ld.startLayout(lx, p, DirectorConfigFile, DirectorConfigSubdir)
}

// startLayout is start for a daemon whose configuration file is called
// fileName and whose directory layout is subdir/*/*.conf.
func (ld *loader) startLayout(lx *lexer, p, fileName, subdir string) error {
	resolved := ld.resolve(p)
	fi, err := ld.stat(resolved)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if !fi.IsDir() {
		return ld.pushFiles(lx, Position{File: resolved}, []string{resolved})
	}
	file := joinPath(resolved, fileName)
	if _, err := ld.stat(file); err == nil {
		return ld.pushFiles(lx, Position{File: resolved}, []string{file})
	}
	sub := joinPath(resolved, subdir)
	pattern := sub + "/*/*.conf"
	if fi, err := ld.stat(sub); err == nil && fi.IsDir() {
		names, err := ld.glob(pattern)
		if err != nil {
			return &Error{Pos: Position{File: resolved}, Msg: err.Error(), Err: ErrInclude}
		}
		if len(names) > 0 {
			return ld.pushFiles(lx, Position{File: resolved}, names)
		}
	}
	return fmt.Errorf("config: no configuration in directory %s: neither %s nor %s: %w",
		resolved, file, pattern, fs.ErrNotExist)
}
