package dircmd

import (
	"context"
	"errors"
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
		j, err := c.cat.JobByID(ctx, uint64(jid))
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

// emitEntry sends one bvfs row as the Director's BvfsResultHandler does.
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
	if e.Type == 'D' {
		f.KVString("Name", null, basenameDir(e.Name), "%s\n")
		f.KVString("Fullpath", null, e.Name, null)
	} else {
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
	f.KVUint("LinkFileIndex", null, uint64(int64(int32(st.LinkFI))), null)
	f.ObjectEnd(null, null)
}

func (c *cmds) bvfsLsDirs(ctx context.Context, ua *uacontext.UA) error {
	a, ok := parseBvfsArgs(ua)
	if !ok {
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
		id, err := c.cat.BvfsPathID(ctx, a.path)
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
	entries, err := c.cat.BvfsLsDirs(ctx, BvfsQuery{JobIDs: ids, PathID: pathID, Limit: a.limit, Offset: a.offset})
	if err != nil {
		return catalogError(ctx, err)
	}
	ua.Formatter().ArrayStart("directories", null)
	prev := ""
	for i, e := range entries {
		// The Director shows a directory only once even if the catalog
		// returns it twice in a row.
		if i > 0 && e.Name == prev {
			continue
		}
		prev = e.Name
		c.emitEntry(ua, e)
	}
	ua.Formatter().ArrayEnd("directories", null)
	return nil
}

func (c *cmds) bvfsLsFiles(ctx context.Context, ua *uacontext.UA) error {
	a, ok := parseBvfsArgs(ua)
	if !ok {
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
		id, err := c.cat.BvfsPathID(ctx, a.path)
		if errors.Is(err, ErrNotFound) || err == nil && id == 0 {
			// Unknown path: the Director lists the root of the tree.
			id, err = c.cat.BvfsPathID(ctx, "")
			if errors.Is(err, ErrNotFound) {
				id, err = 0, nil // an empty tree: nothing to list
			}
		}
		if err != nil {
			return catalogError(ctx, err)
		}
		pathID = id
	}
	var entries []BvfsEntry
	if pathID != 0 {
		entries, err = c.cat.BvfsLsFiles(ctx, BvfsQuery{JobIDs: ids, PathID: pathID, Pattern: pattern, Limit: a.limit, Offset: a.offset})
		if err != nil {
			return catalogError(ctx, err)
		}
	}
	ua.Formatter().ArrayStart("files", null)
	for _, e := range entries {
		c.emitEntry(ua, e)
	}
	ua.Formatter().ArrayEnd("files", null)
	return nil
}
