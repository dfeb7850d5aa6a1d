package sampledir

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"iter"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// BigDir is the directory of bareos-fd whose size Options.BigDirFiles sets.
const BigDir = "/var/lib/bigdir/"

// fileTmpl is a file of a client's tree.
type fileTmpl struct {
	name string
	size uint64
	uid  uint32
	ino  uint64
}

// dirNode is a directory of a client's tree.
type dirNode struct {
	path   string
	pathID uint64
	files  []fileTmpl // sorted by name
	big    bool       // files are generated on demand (BigDir)
	uid    uint32
	ino    uint64
}

// tree is the backed-up file tree of a client (or of the catalog fileset).
type tree struct {
	key  string
	dirs []dirNode // sorted by path
	idx  map[uint64]int
}

// jobContent tells which files of its tree a job backed up.
type jobContent struct {
	tree     string
	level    byte
	incl     [][]int32 // per dir: indices of included files (nil: all)
	bigFiles int       // number of BigDir files included
	partial  bool
	fileBase uint64   // first FileId of the job
	offsets  []uint64 // per dir: FileId offset of its first file
}

var treeTemplates = map[string]map[string][]string{
	"common": {
		"/etc/":                    {"crontab", "fstab", "group", "hostname", "hosts", "os-release", "passwd", "resolv.conf", "shadow"},
		"/etc/ssh/":                {"ssh_config", "ssh_host_ed25519_key", "ssh_host_ed25519_key.pub", "sshd_config"},
		"/root/":                   {".bash_history", ".bashrc", ".profile"},
		"/home/":                   {},
		"/home/alice/":             {".bashrc", ".profile", "notes.txt"},
		"/home/alice/Documents/":   {"Präsentation Q4.odp", "budget-2024.ods", "report-2023.odt", "résumé.pdf"},
		"/home/bob/":               {".bashrc", "todo.md"},
		"/usr/local/bin/":          {"backup-post.sh", "backup-pre.sh"},
		"/var/log/":                {"auth.log", "dpkg.log", "kern.log", "syslog"},
		"/var/log/bareos/":         {"bareos-fd.log"},
		"/etc/bareos/":             {"bareos-fd.conf"},
		"/etc/bareos/bareos-fd.d/": {"director-bareos-dir.conf", "myself.conf"},
	},
	"server": {
		BigDir:                         nil,
		"/etc/bareos/bconsole.conf.d/": {"director.conf"},
	},
	"web": {
		"/srv/www/html/":            {"app.js", "favicon.ico", "index.html", "style.css"},
		"/srv/www/html/img/":        {"banner.png", "logo.svg"},
		"/etc/nginx/":               {"mime.types", "nginx.conf"},
		"/etc/nginx/sites-enabled/": {"default", "shop.conf"},
	},
	"db": {
		"/var/lib/pgsql/16/data/": {"PG_VERSION", "pg_hba.conf", "pg_ident.conf", "postgresql.conf"},
		"/var/backups/db/":        {"dump-shop.sql.gz", "dump-wiki.sql.gz"},
	},
	"mail": {
		"/var/mail/":    {"alice", "bob", "root"},
		"/etc/postfix/": {"main.cf", "master.cf", "virtual"},
		"/etc/dovecot/": {"dovecot.conf"},
	},
	"files": {
		"/srv/share/projects/":    {"data.csv", "plan.pdf", "spec.docx"},
		"/srv/share/photos/2023/": photoNames(40),
	},
}

var catalogTemplate = map[string][]string{
	"/var/lib/bareos/": {"bareos-dir.bsr", "bareos.sql"},
}

func photoNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("IMG_%04d.JPG", i+1)
	}
	return out
}

// buildTrees creates the client trees and the PathId table.
func (d *Director) buildTrees() {
	d.trees = map[string]*tree{}
	specs := map[string]map[string][]string{}
	for _, c := range clientSpecs {
		m := map[string][]string{}
		for p, f := range treeTemplates["common"] {
			m[p] = f
		}
		for p, f := range treeTemplates[c.kind] {
			m[p] = f
		}
		specs[c.name] = m
	}
	specs["catalog"] = catalogTemplate

	// Every directory and its ancestors up to "/" are part of a tree;
	// the bvfs root "" is the parent of "/".
	all := map[string]bool{"": true}
	for _, m := range specs {
		for p := range m {
			for q := p; q != ""; q = parentDir(q) {
				all[q] = true
			}
		}
	}
	d.paths = make([]string, 0, len(all))
	for p := range all {
		d.paths = append(d.paths, p)
	}
	sort.Strings(d.paths)
	d.pathIDs = make(map[string]uint64, len(d.paths))
	for i, p := range d.paths {
		d.pathIDs[p] = uint64(i + 1)
	}
	d.parents = make([]uint64, len(d.paths))
	for i, p := range d.paths {
		if p != "" {
			d.parents[i] = d.pathIDs[parentDir(p)]
		}
	}
	d.children = make([][]uint64, len(d.paths))
	for i, parent := range d.parents {
		if parent != 0 {
			d.children[parent-1] = append(d.children[parent-1], uint64(i+1))
		}
	}

	for key, m := range specs {
		dirs := map[string]bool{}
		for p := range m {
			for q := p; q != ""; q = parentDir(q) {
				dirs[q] = true
			}
		}
		t := &tree{key: key, idx: map[uint64]int{}}
		names := make([]string, 0, len(dirs))
		for p := range dirs {
			names = append(names, p)
		}
		sort.Strings(names)
		for _, p := range names {
			n := dirNode{path: p, pathID: d.pathIDs[p], ino: hash64(d.opts.Seed, d.pathIDs[p], 7) % 4000000}
			if strings.HasPrefix(p, "/home/alice/") {
				n.uid = 1000
			} else if strings.HasPrefix(p, "/home/bob/") {
				n.uid = 1001
			}
			if p == BigDir {
				n.big = true
			}
			files := append([]string(nil), m[p]...)
			sort.Strings(files)
			for _, f := range files {
				h := hash64(d.opts.Seed, uint64(len(key)), uint64(len(p)), strHash(p+f))
				n.files = append(n.files, fileTmpl{
					name: f, uid: n.uid, ino: h % 4000000,
					size: fileSize(f, h),
				})
			}
			t.idx[n.pathID] = len(t.dirs)
			t.dirs = append(t.dirs, n)
		}
		d.trees[key] = t
	}
}

func strHash(s string) uint64 {
	var h uint64 = 1469598103934665603
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

func fileSize(name string, h uint64) uint64 {
	switch {
	case strings.HasSuffix(name, ".sql"), strings.HasSuffix(name, ".sql.gz"):
		return 50<<20 + h%(200<<20)
	case strings.HasSuffix(name, ".JPG"), strings.HasSuffix(name, ".png"):
		return 1<<20 + h%(6<<20)
	case strings.HasSuffix(name, ".log"), name == "syslog":
		return 100<<10 + h%(20<<20)
	case strings.HasSuffix(name, ".pdf"), strings.HasSuffix(name, ".odp"), strings.HasSuffix(name, ".docx"):
		return 200<<10 + h%(5<<20)
	}
	return 200 + h%8000
}

// parentDir returns the parent of a directory path ("/etc/" -> "/", "/" -> "").
func parentDir(p string) string {
	if p == "/" || p == "" {
		return ""
	}
	q := path.Dir(strings.TrimSuffix(p, "/"))
	if q == "/" {
		return "/"
	}
	return q + "/"
}

// content decides which files a job of the given level backs up.
func (t *tree) content(jobID uint64, level byte, bigFiles int) jobContent {
	c := jobContent{tree: t.key, level: level, incl: make([][]int32, len(t.dirs))}
	for di, n := range t.dirs {
		if level == dircmd.LevelFull {
			continue // nil: all files
		}
		mod := uint64(5)
		if level == dircmd.LevelDifferential {
			mod = 2
		}
		sel := []int32{}
		for fi := range n.files {
			if hash64(jobID, uint64(di), uint64(fi))%mod == 0 {
				sel = append(sel, int32(fi))
			}
		}
		c.incl[di] = sel
	}
	if level == dircmd.LevelFull {
		c.bigFiles = bigFiles
	}
	c.offsets = make([]uint64, len(t.dirs))
	var off uint64
	for di := range t.dirs {
		c.offsets[di] = off
		off += uint64(c.dirFileCount(t, di)) + 1 // files, then the directory entry
	}
	return c
}

func (c *jobContent) dirFileCount(t *tree, di int) int {
	if t.dirs[di].big {
		return c.bigFiles
	}
	if c.incl[di] == nil {
		return len(t.dirs[di].files)
	}
	return len(c.incl[di])
}

// count is the number of File rows of the job.
func (c *jobContent) count(t *tree) uint64 {
	var n uint64
	for di := range t.dirs {
		n += uint64(c.dirFileCount(t, di)) + 1
	}
	return n
}

func (c *jobContent) bytes(t *tree) uint64 {
	var n uint64
	for di, d := range t.dirs {
		if d.big {
			n += uint64(c.bigFiles) * 4096
			continue
		}
		c.eachFile(t, di, func(_ int, f fileTmpl) { n += f.size })
	}
	return n
}

// eachFile calls fn for the included regular files of dir di (not BigDir).
func (c *jobContent) eachFile(t *tree, di int, fn func(pos int, f fileTmpl)) {
	if c.incl[di] == nil {
		for i, f := range t.dirs[di].files {
			fn(i, f)
		}
		return
	}
	for pos, fi := range c.incl[di] {
		fn(pos, t.dirs[di].files[fi])
	}
}

// bigName is the name of the i-th file of BigDir: "data-0000001.bin" ...
func bigName(i int) string {
	b := []byte("data-0000000.bin")
	n := i + 1
	for p := 11; p >= 5 && n > 0; p-- {
		b[p] = byte('0' + n%10)
		n /= 10
	}
	if n > 0 { // beyond 9,999,999 files: longer names, still in order
		return fmt.Sprintf("data-%d.bin", i+1)
	}
	return string(b)
}

// JobFiles implements dircmd.FileRecords: files in FileId order, each
// directory's files followed by the directory itself.
func (d *Director) JobFiles(ctx context.Context, jobID uint64, fn func(string) error) error {
	i := d.jobIndex(jobID)
	if i < 0 {
		return nil
	}
	c := &d.jobFiles[i]
	t := d.trees[c.tree]
	if t == nil {
		return nil
	}
	for di, n := range t.dirs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if n.big {
			for k := range c.bigFiles {
				if err := fn(n.path + bigName(k)); err != nil {
					return err
				}
				if k%256 == 0 {
					if err := ctx.Err(); err != nil {
						return err
					}
				}
			}
		} else {
			var err error
			c.eachFile(t, di, func(_ int, f fileTmpl) {
				if err == nil {
					err = fn(n.path + f.name)
				}
			})
			if err != nil {
				return err
			}
		}
		if err := fn(n.path); err != nil {
			return err
		}
	}
	return nil
}

// BvfsPathID implements dircmd.Bvfs.
func (d *Director) BvfsPathID(_ context.Context, p string) (uint64, error) {
	if id, ok := d.pathIDs[p]; ok {
		return id, nil
	}
	return 0, fmt.Errorf("path %q: %w", p, dircmd.ErrNotFound)
}

// bvfsJobs returns the indices of the usable jobs of ids, newest start
// first.
func (d *Director) bvfsJobs(ids []uint64) []int {
	var out []int
	seen := map[uint64]bool{}
	for _, id := range ids {
		i := d.jobIndex(id)
		if i < 0 || seen[id] || d.trees[d.jobFiles[i].tree] == nil {
			continue
		}
		seen[id] = true
		out = append(out, i)
	}
	sort.SliceStable(out, func(a, b int) bool {
		ja, jb := d.jobs[out[a]], d.jobs[out[b]]
		if !ja.StartTime.Equal(jb.StartTime) {
			return ja.StartTime.After(jb.StartTime)
		}
		return ja.JobID > jb.JobID
	})
	return out
}

// dirAttr returns the attributes of directory pathID in the newest (by
// JobId) of the jobs that has it.
func (d *Director) dirAttr(jobs []int, pathID uint64) (dircmd.BvfsEntry, bool) {
	best := -1
	for _, ji := range jobs {
		t := d.trees[d.jobFiles[ji].tree]
		if _, ok := t.idx[pathID]; ok && (best < 0 || d.jobs[ji].JobID > d.jobs[best].JobID) {
			best = ji
		}
	}
	if best < 0 || d.paths[pathID-1] == "" {
		return dircmd.BvfsEntry{Type: 'D', PathID: pathID}, false
	}
	c := &d.jobFiles[best]
	t := d.trees[c.tree]
	di := t.idx[pathID]
	n := t.dirs[di]
	j := d.jobs[best]
	fileID := c.fileBase + c.offsets[di] + uint64(c.dirFileCount(t, di)) + 1
	st := stat{dev: 2049, ino: n.ino, mode: 040755, nlink: 2, uid: n.uid, gid: n.uid,
		size: 4096, blksize: 4096, blocks: 8,
		atime: j.StartTime.Unix(), mtime: j.StartTime.Unix() - int64(hash64(pathID, 3)%(30*86400)),
	}
	st.ctime = st.mtime
	return dircmd.BvfsEntry{Type: 'D', PathID: pathID, HasAttr: true, JobID: j.JobID, FileID: fileID, LStat: st.encode(0)}, true
}

// BvfsLsDirs implements dircmd.Bvfs. A directory has few entries: they
// are collected, sorted and paged, then yielded.
func (d *Director) BvfsLsDirs(ctx context.Context, q dircmd.BvfsQuery) iter.Seq2[dircmd.BvfsEntry, error] {
	return func(yield func(dircmd.BvfsEntry, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(dircmd.BvfsEntry{}, err)
			return
		}
		if q.PathID == 0 || q.PathID > uint64(len(d.paths)) || q.Limit < 0 || q.Offset < 0 {
			return
		}
		jobs := d.bvfsJobs(q.JobIDs)
		var out []dircmd.BvfsEntry
		dot, _ := d.dirAttr(jobs, q.PathID)
		dot.Name = "."
		out = append(out, dot)
		if parent := d.parents[q.PathID-1]; parent != 0 {
			dd, _ := d.dirAttr(jobs, parent)
			dd.Name = ".."
			out = append(out, dd)
		}
		var children []dircmd.BvfsEntry
		for _, pid := range d.children[q.PathID-1] {
			e, ok := d.dirAttr(jobs, pid)
			if !ok {
				continue // not visible in these jobs
			}
			e.Name = d.paths[pid-1]
			children = append(children, e)
		}
		sort.Slice(children, func(a, b int) bool { return children[a].Name < children[b].Name })
		out = append(out, children...)
		for _, e := range dircmd.Page(out, uint64(q.Limit), uint64(q.Offset)) {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// BvfsLsFiles implements dircmd.Bvfs. The files of BigDir are generated
// as they are yielded (one entry in memory at a time); other
// directories are small and collected first.
func (d *Director) BvfsLsFiles(ctx context.Context, q dircmd.BvfsQuery) iter.Seq2[dircmd.BvfsEntry, error] {
	return func(yield func(dircmd.BvfsEntry, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(dircmd.BvfsEntry{}, err)
			return
		}
		if q.Limit < 0 || q.Offset < 0 {
			return
		}
		var re *regexp.Regexp
		if q.Pattern != "" {
			var err error
			if re, err = regexp.Compile(q.Pattern); err != nil {
				return // the SQL query fails: no rows
			}
		}
		jobs := d.bvfsJobs(q.JobIDs)
		limit, offset := uint64(q.Limit), uint64(q.Offset)

		// The big directory: the newest job with its files decides.
		if p, ok := d.pathIDs[BigDir]; ok && p == q.PathID {
			for _, ji := range jobs {
				c := &d.jobFiles[ji]
				t := d.trees[c.tree]
				di, ok := t.idx[p]
				if c.bigFiles == 0 || !ok {
					continue // no BigDir in this client's tree
				}
				var sent, skipped uint64
				for k := 0; k < c.bigFiles && sent < limit; k++ {
					if k%256 == 0 {
						if err := ctx.Err(); err != nil {
							yield(dircmd.BvfsEntry{}, err)
							return
						}
					}
					name := bigName(k)
					if re != nil && !re.MatchString(name) {
						continue
					}
					if skipped < offset {
						skipped++
						continue
					}
					sent++
					if !yield(d.fileEntry(ji, t, di, k, bigFile(k)), nil) {
						return
					}
				}
				return
			}
			return
		}

		seen := map[string]bool{}
		var out []dircmd.BvfsEntry
		for _, ji := range jobs {
			c := &d.jobFiles[ji]
			t := d.trees[c.tree]
			di, ok := t.idx[q.PathID]
			if !ok || t.dirs[di].big {
				continue
			}
			c.eachFile(t, di, func(pos int, f fileTmpl) {
				if seen[f.name] || (re != nil && !re.MatchString(f.name)) {
					return
				}
				seen[f.name] = true
				out = append(out, d.fileEntry(ji, t, di, pos, f))
			})
		}
		sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
		for _, e := range dircmd.Page(out, limit, offset) {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// bigFile is the k-th file of BigDir.
func bigFile(k int) fileTmpl {
	return fileTmpl{name: bigName(k), size: 4096, ino: 3000000 + uint64(k)}
}

// bigIndex is the inverse of bigName (-1: not a BigDir file name).
func bigIndex(name string) int {
	if !strings.HasPrefix(name, "data-") || !strings.HasSuffix(name, ".bin") {
		return -1
	}
	n, err := strconv.Atoi(name[len("data-") : len(name)-len(".bin")])
	if err != nil || n < 1 || bigName(n-1) != name {
		return -1
	}
	return n - 1
}

// findFile finds file name in dir di of job ji.
func (d *Director) findFile(ji, di int, name string) (int, fileTmpl, bool) {
	c := &d.jobFiles[ji]
	t := d.trees[c.tree]
	if t.dirs[di].big {
		if k := bigIndex(name); k >= 0 && k < c.bigFiles {
			return k, bigFile(k), true
		}
		return 0, fileTmpl{}, false
	}
	pos, found := -1, fileTmpl{}
	c.eachFile(t, di, func(p int, f fileTmpl) {
		if pos < 0 && f.name == name {
			pos, found = p, f
		}
	})
	return pos, found, pos >= 0
}

// BvfsVersions implements dircmd.Bvfs: the file in every backup (and,
// with q.Copies, copy) job of the client that backed it up, by FileId.
func (d *Director) BvfsVersions(ctx context.Context, q dircmd.BvfsVersionQuery) iter.Seq2[dircmd.BvfsEntry, error] {
	return func(yield func(dircmd.BvfsEntry, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(dircmd.BvfsEntry{}, err)
			return
		}
		if q.Limit < 0 || q.Offset < 0 {
			return
		}
		var out []dircmd.BvfsEntry
		for ji, j := range d.jobs {
			switch j.Type {
			case dircmd.JobTypeBackup, dircmd.JobTypeArchive, 'a':
			case dircmd.JobTypeJobCopy:
				if !q.Copies {
					continue
				}
			default:
				continue
			}
			c := &d.jobFiles[ji]
			t := d.trees[c.tree]
			if j.Client != q.Client || t == nil || q.JobIDs != nil && !slices.Contains(q.JobIDs, j.JobID) {
				continue
			}
			di, ok := t.idx[q.PathID]
			if !ok {
				continue
			}
			pos, f, ok := d.findFile(ji, di, q.Name)
			if !ok {
				continue
			}
			vol, inChanger := d.jobVolume(j.JobID)
			if vol == "" {
				continue // no JobMedia: the Director's join finds nothing
			}
			e := d.fileEntry(ji, t, di, pos, f)
			sum := md5.Sum(fmt.Appendf(nil, "%d/%s", e.JobID, e.Name))
			e.Type, e.MD5 = 'V', base64.RawStdEncoding.EncodeToString(sum[:])
			e.VolumeName, e.VolumeInChanger = vol, inChanger
			out = append(out, e)
		}
		sort.Slice(out, func(a, b int) bool { return out[a].FileID < out[b].FileID })
		for _, e := range dircmd.Page(out, uint64(q.Limit), uint64(q.Offset)) {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// jobVolume is the first volume a job wrote and whether it is in a changer.
func (d *Director) jobVolume(jobID uint64) (string, bool) {
	for _, jm := range d.jobMedia {
		if jm.JobID != jobID {
			continue
		}
		for _, m := range d.mediaSnapshot() {
			if m.VolumeName == jm.VolumeName {
				return m.VolumeName, m.InChanger
			}
		}
		return jm.VolumeName, false
	}
	return "", false
}

// fileEntry builds the bvfs row of the pos-th included file of dir di in job ji.
func (d *Director) fileEntry(ji int, t *tree, di, pos int, f fileTmpl) dircmd.BvfsEntry {
	c := &d.jobFiles[ji]
	j := d.jobs[ji]
	h := hash64(j.JobID, f.ino)
	size := f.size
	mtime := j.StartTime.Unix() - int64(h%(7*86400))
	if c.level == dircmd.LevelFull {
		mtime = d.opts.Start.Unix() - int64(f.ino%(400*86400))
	} else {
		size += h % 1000
	}
	mode := uint32(0100644)
	if strings.HasSuffix(f.name, ".sh") {
		mode = 0100755
	}
	if strings.Contains(f.name, "key") && !strings.HasSuffix(f.name, ".pub") || f.name == "shadow" {
		mode = 0100600
	}
	st := stat{dev: 2049, ino: f.ino, mode: mode, nlink: 1, uid: f.uid, gid: f.uid, size: size,
		blksize: 4096, blocks: (size + 511) / 512, atime: j.StartTime.Unix(), mtime: mtime, ctime: mtime + 5}
	return dircmd.BvfsEntry{
		Type: 'F', PathID: t.dirs[di].pathID, Name: f.name, HasAttr: true, JobID: j.JobID,
		FileID: c.fileBase + c.offsets[di] + uint64(pos) + 1, LStat: st.encode(1),
	}
}

// stat is the part of struct stat that Bareos encodes.
type stat struct {
	dev, ino     uint64
	mode         uint32
	nlink        uint64
	uid, gid     uint32
	rdev         uint64
	size         uint64
	blksize      uint64
	blocks       uint64
	atime, mtime int64
	ctime        int64
}

// encode returns the Bareos "lstat" text: the fields in Bareos base64
// separated by blanks, then LinkFI, flags and the data stream.
func (s stat) encode(stream int64) string {
	vals := [...]int64{int64(s.dev), int64(s.ino), int64(s.mode), int64(s.nlink), int64(s.uid), int64(s.gid),
		int64(s.rdev), int64(s.size), int64(s.blksize), int64(s.blocks), s.atime, s.mtime, s.ctime, 0, 0, stream}
	b := make([]byte, 0, 96)
	for i, v := range vals {
		if i > 0 {
			b = append(b, ' ')
		}
		b = dircmd.AppendBase64Int(b, v)
	}
	return string(b)
}
