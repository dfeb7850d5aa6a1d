package dircmd

import (
	"context"
	"errors"
	"iter"
	"strings"

	"github.com/uaformat/uaformat/internal/ascii"
	"github.com/uaformat/uaformat/uacontext"
)

// bvfsArgs are the arguments shared by the bvfs commands.
type bvfsArgs struct {
	pathID        uint64
	path          string
	hasPath       bool
	jobIDs        string
	hasJobIDs     bool
	limit, offset int64
}

// parseBvfsArgs is the Director's BvfsParseArg: pathid= (a number), path=,
// jobid= (a list of numbers), limit= (default 2000) and offset=; the last
// occurrence of each keyword wins. It reports whether a path or pathid
// and jobids were given.
func parseBvfsArgs(ua *uacontext.UA) (bvfsArgs, bool) {
	a := bvfsArgs{limit: 2000}
	for _, arg := range ua.Args[1:] {
		switch {
		case ascii.EqualFold(arg.Key, "pathid"):
			if arg.HasValue && isANumber(arg.Value) {
				a.pathID = uint64(strToInt64(arg.Value))
			}
		case ascii.EqualFold(arg.Key, "path"):
			a.path, a.hasPath = arg.Value, arg.HasValue
		case ascii.EqualFold(arg.Key, "jobid"):
			if arg.HasValue && isANumberList(arg.Value) {
				a.jobIDs, a.hasJobIDs = arg.Value, true
			}
		case ascii.EqualFold(arg.Key, "limit"):
			if arg.HasValue && isANumber(arg.Value) {
				a.limit = int64(int32(strToInt64(arg.Value)))
			}
		case ascii.EqualFold(arg.Key, "offset"):
			if arg.HasValue && isANumber(arg.Value) {
				a.offset = int64(int32(strToInt64(arg.Value)))
			}
		}
	}
	return a, (a.pathID != 0 || a.hasPath) && a.hasJobIDs
}

// allowedJobIDs is the Director's BvfsValidateJobids: the jobs of the
// list that exist and whose job name and client the console may access.
// A failing catalog lookup is returned as an error.
func (c *cmds) allowedJobIDs(ctx context.Context, ua *uacontext.UA, list string) ([]uint64, error) {
	var out []uint64
	for id := range strings.SplitSeq(list, ",") {
		if id == "" {
			break
		}
		jid := uint32(strToInt64(id))
		if jid == 0 {
			continue
		}
		j, err := c.jobs.JobByID(ctx, uint64(jid))
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, catalogError(ctx, err)
		}
		if !ua.ACLAccessOK(uacontext.ACLJob, j.Name) {
			continue
		}
		if j.ClientID != 0 && !ua.ACLAccessOK(uacontext.ACLClient, j.Client) {
			continue
		}
		out = append(out, j.JobID)
	}
	return out, nil
}

// emptyLStat stands for the attributes of a directory that was not backed
// up itself.
const emptyLStat = "A A A A A A A A A A A A A A"

// basenameDir is the Director's bvfs_basename_dir: the last component of
// a directory path with its trailing slash ("/etc/ssh/" -> "ssh/").
func basenameDir(p string) string {
	if p == "" {
		return ""
	}
	n := len(p) - 1
	if p[n] == '/' {
		n--
	}
	if n <= 0 {
		return p
	}
	i := n
	for i > 0 && p[i] != '/' {
		i--
	}
	if p[i] == '/' {
		i++
	}
	return p[i:]
}

func typeString(t byte) string {
	switch t {
	case 'D':
		return "D"
	case 'F':
		return "F"
	}
	return string([]byte{t})
}

// emitEntry sends one bvfs row as the Director's BvfsResultHandler does:
// directories with their base name and full path, files with their name,
// versions with MD5 and volume instead of a name, all with the decoded
// attributes.
func (c *cmds) emitEntry(ua *uacontext.UA, e BvfsEntry) {
	f := ua.Formatter()
	lstat, jobID, fileID := e.LStat, e.JobID, e.FileID
	if !e.HasAttr {
		lstat, jobID, fileID = emptyLStat, 0, 0
	}
	f.ObjectStart(null, null)
	f.KVString("Type", null, typeString(e.Type), null)
	f.KVUint("PathId", null, e.PathID, "%d\t")
	f.KVUint("FileId", null, fileID, "%d\t")
	f.KVUint("JobId", null, jobID, "%d\t")
	f.KVString("lstat", null, lstat, "%s\t")
	switch e.Type {
	case 'D':
		f.KVString("Name", null, basenameDir(e.Name), "%s\n")
		f.KVString("Fullpath", null, e.Name, null)
	case 'V':
		f.KVString("MD5", null, e.MD5, "%s\t")
		f.KVString("VolumeName", null, e.VolumeName, "%s\t")
		inChanger := uint64(0)
		if e.VolumeInChanger {
			inChanger = 1
		}
		f.KVUint("VolumeInChanger", null, inChanger, "%d\n")
	default:
		f.KVString("Name", null, e.Name, "%s\n")
	}
	st := DecodeStat(lstat)
	f.ObjectStart("stat", null)
	f.KVUint("dev", null, uint64(st.Dev), null)
	f.KVUint("ino", null, uint64(st.Ino), null)
	f.KVUint("mode", null, uint64(uint32(st.Mode)), null)
	f.KVUint("nlink", null, uint64(st.Nlink), null)
	f.KVUint("uid", null, uint64(uint32(st.UID)), null)
	f.KVUint("gid", null, uint64(uint32(st.GID)), null)
	f.KVString("user", null, c.opts.UserName(uint32(st.UID)), null)
	f.KVString("group", null, c.opts.GroupName(uint32(st.GID)), null)
	f.KVUint("rdev", null, uint64(st.Rdev), null)
	f.KVUint("size", null, uint64(st.Size), null)
	f.KVUint("atime", null, uint64(st.Atime), null)
	f.KVUint("mtime", null, uint64(st.Mtime), null)
	f.KVUint("ctime", null, uint64(st.Ctime), null)
	f.ObjectEnd("stat", null)
	if e.Type != 'V' {
		f.KVUint("LinkFileIndex", null, uint64(int64(int32(st.LinkFI))), null)
	}
	f.ObjectEnd(null, null)
}

// streamEntries sends the entries of seq inside the array name, each as
// it comes. An entry equal in name to the one before is skipped if
// dedup (the Director shows a directory only once even if the catalog
// returns it twice in a row). A failing iterator fails the command
// after the entries sent so far, like a catalog query that breaks off.
func (c *cmds) streamEntries(ctx context.Context, ua *uacontext.UA, name string, seq iter.Seq2[BvfsEntry, error], dedup bool) error {
	f := ua.Formatter()
	f.ArrayStart(name, null)
	prev, first := "", true
	var failed error
	for e, err := range seq {
		if err != nil {
			failed = err
			break
		}
		if dedup && !first && e.Name == prev {
			continue
		}
		if dedup {
			prev = e.Name
		}
		first = false
		c.emitEntry(ua, e)
		if f.Discarded() {
			break // the server's output budget refused the answer
		}
	}
	f.ArrayEnd(name, null)
	if failed == nil {
		failed = ctx.Err()
	}
	if failed != nil {
		return catalogError(ctx, failed)
	}
	return nil
}

func (c *cmds) bvfsLsDirs(ctx context.Context, ua *uacontext.UA) error {
	a, ok := parseBvfsArgs(ua)
	if !ok || !c.openCatalog(ua, c.has.jobs, c.has.bvfs) {
		ua.ErrorMsg("Can't find jobid, pathid or path argument\n")
		return nil // sic: the Director reports success here
	}
	ids, err := c.allowedJobIDs(ctx, ua, a.jobIDs)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return uacontext.Errorf("Unauthorized command from this console.\n")
	}
	pathID := a.pathID
	if pathID == 0 {
		id, err := c.bvfs.BvfsPathID(ctx, a.path)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return catalogError(ctx, err)
		}
		if id == 0 {
			// The path does not exist: the Director fails the command
			// without any output.
			return uacontext.ErrReported
		}
		pathID = id
	}
	q := BvfsQuery{JobIDs: ids, PathID: pathID, Limit: a.limit, Offset: a.offset}
	return c.streamEntries(ctx, ua, "directories", c.bvfs.BvfsLsDirs(ctx, q), true)
}

func (c *cmds) bvfsLsFiles(ctx context.Context, ua *uacontext.UA) error {
	a, ok := parseBvfsArgs(ua)
	if !ok || !c.openCatalog(ua, c.has.jobs, c.has.bvfs) {
		return uacontext.Errorf("Can't find jobid, pathid or path argument\n")
	}
	ids, err := c.allowedJobIDs(ctx, ua, a.jobIDs)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return uacontext.Errorf("Unauthorized command from this console.\n")
	}
	pattern, _ := ua.ArgValue("pattern")
	pathID := a.pathID
	if pathID == 0 {
		id, err := c.bvfs.BvfsPathID(ctx, a.path)
		if errors.Is(err, ErrNotFound) || err == nil && id == 0 {
			// Unknown path: the Director lists the root of the tree.
			id, err = c.bvfs.BvfsPathID(ctx, "")
			if errors.Is(err, ErrNotFound) {
				id, err = 0, nil // an empty tree: nothing to list
			}
		}
		if err != nil {
			return catalogError(ctx, err)
		}
		pathID = id
	}
	seq := none{}.BvfsLsFiles(ctx, BvfsQuery{})
	if pathID != 0 {
		seq = c.bvfs.BvfsLsFiles(ctx, BvfsQuery{JobIDs: ids, PathID: pathID, Pattern: pattern, Limit: a.limit, Offset: a.offset})
	}
	return c.streamEntries(ctx, ua, "files", seq, false)
}

// bvfsVersions is ".bvfs_versions jobid=0 client=<name> fname=<name>
// pathid=<id>|path=<dir> [copies] [versions]": every backed-up version
// of one file of a client. The jobid list is required but not used, as
// by the Director; "versions" is accepted and changes nothing.
func (c *cmds) bvfsVersions(ctx context.Context, ua *uacontext.UA) error {
	a, ok := parseBvfsArgs(ua)
	if !ok || !c.openCatalog(ua, c.has.bvfs) {
		return uacontext.Errorf("Can't find jobid, pathid or path argument\n")
	}
	var client, fname string
	var hasClient, hasName, copies bool
	for _, arg := range ua.Args[1:] {
		switch {
		case ascii.EqualFold(arg.Key, "name"), ascii.EqualFold(arg.Key, "fname"), ascii.EqualFold(arg.Key, "filename"):
			fname, hasName = arg.Value, arg.HasValue
		case ascii.EqualFold(arg.Key, "client"):
			client, hasClient = arg.Value, arg.HasValue
		case ascii.EqualFold(arg.Key, "copies"):
			copies = true
		}
	}
	if !hasClient || !hasName {
		return uacontext.Errorf("Can't find client or fname argument\n")
	}
	if !ua.ACLAccessOK(uacontext.ACLClient, client) {
		return uacontext.Errorf("Unauthorized command from this console.\n")
	}
	// The Director checks only the client; here a console never sees a
	// job its Job ACL forbids either (see the package documentation).
	var jobIDs []uint64
	if !ua.ACLNoRestrictions(uacontext.ACLJob) {
		jobs, err := c.jobs.ListJobs(ctx, JobQuery{Client: client})
		if err != nil {
			return catalogError(ctx, err)
		}
		jobIDs = []uint64{}
		for _, j := range jobs {
			if ua.ACLAccessOK(uacontext.ACLJob, j.Name) {
				jobIDs = append(jobIDs, j.JobID)
			}
		}
	}
	pathID := a.pathID
	if pathID == 0 {
		id, err := c.bvfs.BvfsPathID(ctx, a.path)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return catalogError(ctx, err)
		}
		pathID = id // 0 for an unknown path: no versions
	}
	seq := none{}.BvfsVersions(ctx, BvfsVersionQuery{})
	if pathID != 0 && (jobIDs == nil || len(jobIDs) > 0) {
		seq = c.bvfs.BvfsVersions(ctx, BvfsVersionQuery{Client: client, JobIDs: jobIDs, PathID: pathID, Name: fname, Copies: copies, Limit: a.limit, Offset: a.offset})
	}
	return c.streamEntries(ctx, ua, "versions", seq, false)
}
