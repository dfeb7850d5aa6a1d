package dircmd

import (
	"strings"

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
		case equalFold(arg.Key, "pathid"):
			if arg.HasValue && isANumber(arg.Value) {
				a.pathID = uint64(strToInt64(arg.Value))
			}
		case equalFold(arg.Key, "path"):
			a.path, a.hasPath = arg.Value, arg.HasValue
		case equalFold(arg.Key, "jobid"):
			if arg.HasValue && isANumberList(arg.Value) {
				a.jobIDs, a.hasJobIDs = arg.Value, true
			}
		case equalFold(arg.Key, "limit"):
			if arg.HasValue && isANumber(arg.Value) {
				a.limit = int64(int32(strToInt64(arg.Value)))
			}
		case equalFold(arg.Key, "offset"):
			if arg.HasValue && isANumber(arg.Value) {
				a.offset = int64(int32(strToInt64(arg.Value)))
			}
		}
	}
	return a, (a.pathID != 0 || a.hasPath) && a.hasJobIDs
}

// allowedJobIDs is the Director's BvfsValidateJobids: the jobs of the
// list that exist and whose job name and client the console may access.
func (c *cmds) allowedJobIDs(ua *uacontext.UA, list string) []uint64 {
	var out []uint64
	for id := range strings.SplitSeq(list, ",") {
		if id == "" {
			break
		}
		jid := uint32(strToInt64(id))
		if jid == 0 {
			continue
		}
		j, err := c.cat.JobByID(ctx(ua), uint64(jid))
		if err != nil || !ua.ACLAccessOK(uacontext.ACLJob, j.Name) {
			continue
		}
		if j.ClientID != 0 && !ua.ACLAccessOK(uacontext.ACLClient, j.Client) {
			continue
		}
		out = append(out, j.JobID)
	}
	return out
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
	f := ua.Send
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

func (c *cmds) bvfsLsDirs(ua *uacontext.UA) bool {
	a, ok := parseBvfsArgs(ua)
	if !ok {
		ua.ErrorMsg("Can't find jobid, pathid or path argument\n")
		return true // sic: the Director reports success here
	}
	ids := c.allowedJobIDs(ua, a.jobIDs)
	if len(ids) == 0 {
		ua.ErrorMsg("Unauthorized command from this console.\n")
		return false
	}
	pathID := a.pathID
	if pathID == 0 {
		id, err := c.cat.BvfsPathID(ctx(ua), a.path)
		if err != nil || id == 0 {
			return false // the path does not exist: no output at all
		}
		pathID = id
	}
	entries, err := c.cat.BvfsLsDirs(ctx(ua), BvfsQuery{JobIDs: ids, PathID: pathID, Limit: a.limit, Offset: a.offset})
	ua.Send.ArrayStart("directories", null)
	if err == nil {
		prev := ""
		for i, e := range entries {
			// The Director shows a directory only once even if the
			// catalog returns it twice in a row.
			if i > 0 && e.Name == prev {
				continue
			}
			prev = e.Name
			c.emitEntry(ua, e)
		}
	}
	ua.Send.ArrayEnd("directories", null)
	return true
}

func (c *cmds) bvfsLsFiles(ua *uacontext.UA) bool {
	a, ok := parseBvfsArgs(ua)
	if !ok {
		ua.ErrorMsg("Can't find jobid, pathid or path argument\n")
		return false
	}
	ids := c.allowedJobIDs(ua, a.jobIDs)
	if len(ids) == 0 {
		ua.ErrorMsg("Unauthorized command from this console.\n")
		return false
	}
	pattern, _ := ua.ArgValue("pattern")
	pathID := a.pathID
	if pathID == 0 {
		id, err := c.cat.BvfsPathID(ctx(ua), a.path)
		if err != nil || id == 0 {
			// Unknown path: the Director lists the root of the tree.
			id, _ = c.cat.BvfsPathID(ctx(ua), "")
		}
		pathID = id
	}
	ua.Send.ArrayStart("files", null)
	if pathID != 0 {
		entries, err := c.cat.BvfsLsFiles(ctx(ua), BvfsQuery{JobIDs: ids, PathID: pathID, Pattern: pattern, Limit: a.limit, Offset: a.offset})
		if err == nil {
			for _, e := range entries {
				c.emitEntry(ua, e)
			}
		}
	}
	ua.Send.ArrayEnd("files", null)
	return true
}
