package dircmd

import (
	"cmp"
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd/internal/restoretree"
)

// insertOneFileOrDir is the Director's InsertOneFileOrDir for one
// file= or directory= value (or an answer to the file prompts). A name
// starting with '<' is a list on the Director's disk, which this
// Director does not read; one starting with '?' a table, here the
// restore lists of .bvfs_restore ("?b2<number>", as the web UI sends).
func (c *cmds) insertOneFileOrDir(ctx context.Context, ua *uacontext.UA, rx *restoreCtx, p, date string, dir bool) error {
	switch {
	case strings.HasPrefix(p, "<"):
		ua.ErrorMsg("Cannot open file %s: ERR=%s\n", p[1:], "reading files on the Director is not supported")
		return nil
	case strings.HasPrefix(p, "?"):
		c.insertTable(ua, rx, stripTrailingBlanks(p[1:]))
		return nil
	case dir:
		return c.insertDir(ctx, ua, rx, p)
	default:
		return c.insertFile(ctx, ua, rx, p, date)
	}
}

// insertTable is the Director's InsertTableIntoFindexList: every
// distinct (JobId, FileIndex) of a restore list, in that order. An
// unknown or empty list is "No table found".
func (c *cmds) insertTable(ua *uacontext.UA, rx *restoreCtx, table string) {
	files, _ := c.lists.get(table)
	type key struct {
		job uint64
		fi  uint64
	}
	keys := make([]key, 0, len(files))
	for _, f := range files {
		keys = append(keys, key{f.JobID, f.FileIndex})
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.job != b.job {
			return cmp.Compare(a.job, b.job)
		}
		return cmp.Compare(a.fi, b.fi)
	})
	keys = slices.Compact(keys)
	for _, k := range keys {
		rx.addFile(k.job, int32(k.fi))
	}
	if len(keys) == 0 {
		ua.ErrorMsg("No table found: %s\n", table)
	}
}

func stripTrailingBlanks(s string) string { return strings.TrimRight(s, "\n\r ") }

// splitPathAndFilename is the Director's SplitPathAndFilename: the
// path up to and including the last slash, and the rest.
func splitPathAndFilename(name string) (path, file string) {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		return name[:i+1], name[i+1:]
	}
	return "", name
}

// insertFile is the Director's InsertFileIntoFindexList: the newest
// backup of the client that has the file (among the selected jobs, if
// any) gives its JobId and FileIndex.
func (c *cmds) insertFile(ctx context.Context, ua *uacontext.UA, rx *restoreCtx, file, date string) error {
	file = strings.TrimRight(file, "\n")
	path, name := splitPathAndFilename(file)
	limit, _ := c.strToUtime(date)
	typ := byte(JobTypeBackup)
	if rx.archive {
		typ = JobTypeArchive
	}
	jobs, err := c.jobs.ListJobs(ctx, JobQuery{Client: rx.client, Types: []byte{typ}, Descending: true})
	if err != nil {
		return catalogError(ctx, err)
	}
	var in []uint64
	if rx.jobIDs != "" {
		in = parseJobIDs(rx.jobIDs)
	}
	rc, _ := c.cat.(RestoreCatalog)
	found := false
	for _, j := range jobs {
		if rc == nil || found {
			break
		}
		if in != nil && !containsID(in, j.JobID) || j.StartTime.After(limit) || in == nil && !okStatus(j) {
			continue
		}
		err := rc.RestoreDirFiles(ctx, j.JobID, path, func(f RestoreFile) error {
			if f.Name == name && !found {
				found = true
				rx.addFile(j.JobID, f.FileIndex)
			}
			return nil
		})
		if err != nil {
			return catalogError(ctx, err)
		}
	}
	if !found {
		ua.ErrorMsg("No database record found for: %s\n", file)
	}
	return nil
}

func containsID(ids []uint64, id uint64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// insertDir is the Director's InsertDirIntoFindexList: every row the
// selected jobs have in exactly that directory.
func (c *cmds) insertDir(ctx context.Context, ua *uacontext.UA, rx *restoreCtx, dir string) error {
	if rx.jobIDs == "" {
		ua.ErrorMsg("No JobId specified cannot continue.\n")
		return nil
	}
	rc, _ := c.cat.(RestoreCatalog)
	found := false
	for _, id := range parseJobIDs(rx.jobIDs) {
		j, err := c.jobs.JobByID(ctx, id)
		if err != nil {
			if isNotFound(err) {
				continue
			}
			return catalogError(ctx, err)
		}
		if j.Client != rx.client || rc == nil {
			continue
		}
		err = rc.RestoreDirFiles(ctx, id, dir, func(f RestoreFile) error {
			found = true
			rx.addFile(id, f.FileIndex)
			return nil
		})
		if err != nil {
			return catalogError(ctx, err)
		}
	}
	if !found {
		ua.ErrorMsg("No database record found for: %s\n", dir)
	}
	return nil
}

// addFile adds a file to the bootstrap and its job to the JobIds, as the
// Director's JobidFileindexHandler does.
func (rx *restoreCtx) addFile(jobID uint64, fileIndex int32) {
	rx.bsr.add(uint32(jobID), fileIndex)
	rx.selected++
	id := formatUint(jobID)
	if rx.lastJobID == id {
		return
	}
	rx.lastJobID = id
	if rx.jobIDs != "" {
		rx.jobIDs += ","
	}
	rx.jobIDs += id
}

// treeOut writes the answers of the file selection mode. The Director
// runs it on a UA context of its own whose formatter is in API mode 0:
// every message is a raw packet in every mode, preceded by its signal in
// the API modes.
type treeOut struct {
	ua  *uacontext.UA
	api bool
}

func (o treeOut) send(sig bsock.Signal, format string, args []any) {
	o.ua.Formatter().SendBuffer()
	if sig != 0 && o.api {
		o.ua.Signal(sig)
	}
	o.ua.SendPacket([]byte(formatter.Sprintf(format, args...)))
}

func (o treeOut) SendMsg(format string, args ...any)    { o.send(0, format, args) }
func (o treeOut) WarningMsg(format string, args ...any) { o.send(bsock.WarningMsg, format, args) }
func (o treeOut) ErrorMsg(format string, args ...any)   { o.send(bsock.ErrorMsg, format, args) }

// buildDirectoryTree is the Director's BuildDirectoryTree: the files of
// the selected jobs go into a tree, the user marks what to restore (or
// "all" marked everything), and the marked files go into the bootstrap.
// It reports whether the restore goes on; err is set only when the
// console or the command's context went away.
func (c *cmds) buildDirectoryTree(ctx context.Context, ua *uacontext.UA, rx *restoreCtx) (bool, error) {
	ids := parseJobIDs(rx.jobIDs)
	deltaCount := 0
	if len(ids) > 0 {
		if j, err := c.jobs.JobByID(ctx, ids[0]); err == nil {
			deltaCount = int(j.JobFiles / 50) // about 50 "+" while building
		}
	}
	ua.InfoMsg("\nBuilding directory tree for JobId(s) %s ...  ", rx.jobIDs)
	tree := restoretree.New(restoretree.Options{
		All:        rx.all,
		DeltaCount: deltaCount,
		Progress:   func() { ua.SendMsg("+") },
		Warn:       func(text string) { ua.WarningMsg("%s", text) },
		MaxNodes:   c.opts.Restore.MaxTreeFiles,
	})
	if rc, ok := c.cat.(RestoreCatalog); ok {
		n := 0
		err := rc.RestoreFileList(ctx, ids, func(f RestoreFile) error {
			n++
			if n%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			st := DecodeStat(f.LStat)
			return tree.Insert(restoretree.Entry{
				Path: f.Path, Name: f.Name, FileIndex: f.FileIndex, JobID: uint32(f.JobID), DeltaSeq: f.DeltaSeq,
				Stat: restoretree.Stat{
					Mode: uint32(st.Mode), Nlink: uint32(st.Nlink), UID: uint32(st.UID), GID: uint32(st.GID),
					Size: st.Size, Mtime: st.Mtime, Ctime: st.Ctime, LinkFI: int32(st.LinkFI),
				},
			})
		})
		switch {
		case ctx.Err() != nil:
			return false, ctx.Err()
		case errors.Is(err, restoretree.ErrTooLarge):
			ua.ErrorMsg("Too many files for the restore tree (more than %d); select fewer jobs, or restore with file= or directory=.\n", tree.Nodes())
			return false, nil
		case err != nil:
			ua.ErrorMsg("%s\n", err.Error())
		}
	}
	tree.Finish()
	fileCount := tree.FileCount()
	if fileCount != 0 {
		// Jobs whose files were purged make the tree incomplete.
		for _, id := range ids {
			if j, err := c.jobs.JobByID(ctx, id); err == nil && j.PurgedFiles > 0 {
				fileCount = 0
			}
		}
	}
	ok := true
	if fileCount == 0 {
		var err error
		if ok, err = c.askForFileregex(ctx, ua); err != nil {
			return false, err
		}
		if ok {
			rx.bsr.addAll(rx.jobIDs)
		}
		return ok, nil
	}
	if tree.FileCount() > 0 && rx.all {
		ua.InfoMsg("\n%s files inserted into the tree and marked for extraction.\n", addCommas(formatUint(uint64(tree.FileCount()))))
	} else {
		ua.InfoMsg("\n%s files inserted into the tree.\n", addCommas(formatUint(uint64(tree.Rows()))))
	}
	if ua.FindArg("done") < 0 {
		var err error
		if ok, err = c.selectFilesFromTree(ctx, ua, tree); err != nil {
			return false, err
		}
	}
	if ok {
		tree.Each(func(n *restoretree.Node) bool {
			if n.Extract() {
				for _, d := range n.Deltas() {
					rx.bsr.add(d.JobID, d.FileIndex)
				}
				rx.bsr.add(n.JobID(), n.FileIndex())
				if n.Type() != restoretree.TypeNewDir {
					rx.selected++
				}
			}
			return true
		})
	}
	return ok, nil
}

// selectFilesFromTree is the Director's UserSelectFilesFromTree: the "$"
// prompt until done, exit, quit or abort, or until a prompt fails (which
// ends the selection as done does). It reports false for quit and
// abort; err is set when the console or the command's context went away
// (this Director then does not go on with the restore).
func (c *cmds) selectFilesFromTree(ctx context.Context, ua *uacontext.UA, tree *restoretree.Tree) (bool, error) {
	api := ua.Mode() != apimode.Off
	out := treeOut{ua: ua, api: api}
	out.SendMsg("\nYou are now entering file selection mode where you add (mark) and\n" +
		"remove (unmark) files to be restored. No files are initially added, unless\n" +
		"you used the \"all\" keyword on the command line.\n" +
		"Enter \"done\" to leave this mode.\n\n")
	ua.Signal(bsock.StartRTree)
	sh := &restoretree.Shell{
		Tree: tree, Out: out, API: api,
		UserName: c.opts.UserName, GroupName: c.opts.GroupName,
		Location: c.location(),
	}
	out.SendMsg("cwd is: %s\n", tree.Root().Path())
	quit := false
	var ended error
loop:
	for {
		line, err := ua.GetRawSubCmd(ctx, "$ ")
		if err != nil {
			if !uacontext.IsInputFailure(err) {
				ended = err
			}
			break
		}
		if api {
			ua.Signal(bsock.CmdBegin)
		}
		switch sh.Exec(line, uacontext.ParseArgsOnly(line)) {
		case restoretree.Invalid:
			if api {
				ua.Signal(bsock.CmdFailed)
			}
			continue
		case restoretree.Ignored:
			continue
		case restoretree.Done:
			if api {
				ua.Signal(bsock.CmdOK)
			}
			break loop
		case restoretree.Quit:
			if api {
				ua.Signal(bsock.CmdOK)
			}
			quit = true
			break loop
		default:
			if api {
				ua.Signal(bsock.CmdOK)
			}
		}
	}
	ua.Signal(bsock.EndRTree)
	if ended != nil {
		return false, ended
	}
	return !quit, nil
}

// askForFileregex is the Director's AskForFileregex, for jobs without
// file records: restore everything, or the files a regular expression
// selects, or nothing.
func (c *cmds) askForFileregex(ctx context.Context, ua *uacontext.UA) (bool, error) {
	if ua.FindArg("all") >= 0 || ua.FindArgWithValue("fileregex") >= 0 {
		return true, nil
	}
	ua.SendMsg("\n\nFor one or more of the JobIds selected, no files were found,\n" +
		"so file selection is not possible.\n" +
		"Most likely your retention policy pruned the files.\n")
	yes, err := ua.GetYesno(ctx, "\nDo you want to restore all the files? (yes|no): ")
	if err != nil {
		if uacontext.IsInputFailure(err) {
			return false, nil
		}
		return false, err
	}
	if yes {
		return true, nil
	}
	for {
		re, err := ua.GetCmd(ctx, "\nRegexp matching files to restore? (empty to abort): ")
		if err != nil {
			if uacontext.IsInputFailure(err) {
				return false, nil
			}
			return false, err
		}
		if re == "" {
			return false, nil
		}
		if _, err := regexp.Compile(re); err != nil {
			ua.SendMsg("Regex compile error: %s\n", err.Error())
			continue
		}
		return true, nil
	}
}
