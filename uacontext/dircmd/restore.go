package dircmd

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/uaformat/uaformat/internal/ascii"
	"github.com/uaformat/uaformat/uacontext"
)

// errFailed fails a command whose messages were sent already.
var errFailed = uacontext.ErrReported

// optArg is an optional keyword value of the command line.
type optArg struct {
	v  string
	ok bool
}

// restoreCtx is the Director's RestoreContext: what restore collects
// on its way from the command line to the restore job.
type restoreCtx struct {
	jobIDs    string // the selected JobIds, comma-separated
	lastJobID string
	client    string // the backup client ("" not chosen yet)
	all       bool
	pool      string // pool= restricts the job selection
	archive   bool

	where, regexWhere, replace, pluginOptions, comment, backupFormat optArg

	restoreJob  *JobResource
	restoreJobs int
	totalFiles  uint64
	bsr         bsrList
	store       string // the storage to read from
	bootstrap   string // file name shown
	selected    uint32
}

// restoreKeywords are the keywords restore accepts, in the Director's
// order; the first nine are handled while scanning the arguments.
var restoreKeywords = []string{
	"jobid", "current", "before", "file", "directory", "select", "pool", "all", "fileregex",
	"client", "storage", "fileset", "where", "yes", "bootstrap", "done", "strip_prefix",
	"add_prefix", "add_suffix", "regexwhere", "restoreclient", "copies", "comment",
	"restorejob", "replace", "pluginoptions", "archive",
}

// commentError is the Director's IsCommentLegal.
func commentError(s string) string {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte("'<>&\\\"", s[i]) >= 0 {
			return "Illegal character \"" + string([]byte{s[i]}) + "\" in a comment.\n"
		}
	}
	switch {
	case len(s) >= uacontext.MaxNameLength:
		return "Comment too long.\n"
	case s == "":
		return "Comment must be at least one character long.\n"
	}
	return ""
}

// escapeRegexWhere is the Director's bregexp_escape_string with '!'.
func escapeRegexWhere(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '!' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// buildWhere is the Director's bregexp_build_where.
func buildWhere(strip, addPrefix, addSuffix optArg) string {
	var parts []string
	if strip.ok {
		parts = append(parts, "!"+escapeRegexWhere(strip.v)+"!!i")
	}
	if addSuffix.ok {
		parts = append(parts, "!([^/])$!$1"+escapeRegexWhere(addSuffix.v)+"!")
	}
	if addPrefix.ok {
		parts = append(parts, "!^!"+escapeRegexWhere(addPrefix.v)+"!")
	}
	return strings.Join(parts, ",")
}

func argOpt(ua *uacontext.UA, kw string) optArg {
	v, ok := ua.ArgValue(kw)
	return optArg{v, ok}
}

// restore is the Director's restore command.
func (c *cmds) restore(ctx context.Context, ua *uacontext.UA) error {
	rx := &restoreCtx{}
	if v := argOpt(ua, "comment"); v.ok {
		if msg := commentError(v.v); msg != "" {
			ua.ErrorMsg("%s", msg)
			return errFailed
		}
		rx.comment = v
	}
	rx.backupFormat = argOpt(ua, "backupformat")
	rx.where = argOpt(ua, "where")
	rx.replace = argOpt(ua, "replace")
	rx.pluginOptions = argOpt(ua, "pluginoptions")
	strip, addPrefix, addSuffix := argOpt(ua, "strip_prefix"), argOpt(ua, "add_prefix"), argOpt(ua, "add_suffix")
	rx.regexWhere = argOpt(ua, "regexwhere")
	if v := argOpt(ua, "fileregex"); v.ok {
		// Checked as the Director does; it would restrict the files the
		// storage daemon restores through the bootstrap file, which this
		// Director does not write.
		if _, err := regexp.Compile(v.v); err != nil {
			ua.SendMsg("Regex compile error: %s\n", err.Error())
			ua.ErrorMsg("Invalid \"FileRegex\" value.\n")
			return errFailed
		}
	}
	rx.archive = ua.FindArg("archive") >= 0
	if strip.ok || addPrefix.ok || addSuffix.ok {
		rx.regexWhere = optArg{buildWhere(strip, addPrefix, addSuffix), true}
	}
	if rx.regexWhere.ok && !ua.ACLAccessOK(uacontext.ACLWhere, rx.regexWhere.v) {
		ua.ErrorMsg("\"RegexWhere\" specification not authorized.\n")
		return errFailed
	}
	if rx.where.ok && !ua.ACLAccessOK(uacontext.ACLWhere, rx.where.v) {
		ua.ErrorMsg("\"where\" specification not authorized.\n")
		return errFailed
	}

	for _, j := range c.cat.Jobs() {
		if j.Type == JobTypeRestore {
			if rx.restoreJob == nil {
				job := j
				rx.restoreJob = &job
			}
			rx.restoreJobs++
		}
	}
	if rx.restoreJobs == 0 {
		ua.ErrorMsg("No Restore Job Resource found in %s.\nYou must create at least one before running this command.\n", c.opts.Restore.ConfigPath)
		return errFailed
	}

	kind, err := c.selectJobIDsOrFiles(ctx, ua, rx)
	if err != nil {
		return err
	}
	switch kind {
	case selectedJobs:
		ok, err := c.buildDirectoryTree(ctx, ua, rx)
		if err != nil && !uacontext.IsInputFailure(err) {
			return err
		}
		if !ok || err != nil {
			ua.SendMsg("Restore not done.\n")
			return errFailed
		}
	case selectedFiles:
	case selectedRegex:
		if !rx.bsr.addAll(rx.jobIDs) {
			ua.ErrorMsg("No JobId specified cannot continue.\n")
			ua.SendMsg("Restore not done.\n")
			return errFailed
		}
	}

	job := rx.restoreJob
	if rx.restoreJobs > 1 {
		if job, err = c.getRestoreJob(ctx, ua); err != nil {
			return err
		}
	}

	if !rx.bsr.hasJob() {
		ua.WarningMsg("No files selected to be restored.\n")
		return errFailed
	}
	if err := c.addVolumeInformation(ctx, ua, rx); err != nil {
		return err
	}
	count, err := c.writeBsr(ctx, ua, rx)
	if err != nil {
		return err
	}
	if count == 0 {
		ua.WarningMsg("No files selected to be restored.\n")
		return errFailed
	}
	rx.selected = count
	c.displayBsrInfo(ua, rx)
	if count == 1 {
		ua.InfoMsg("\n1 file selected to be restored.\n\n")
	} else {
		ua.InfoMsg("\n%s files selected to be restored.\n\n", addCommas(strconv.FormatUint(uint64(count), 10)))
	}

	if err := c.getClientName(ctx, ua, rx); err != nil {
		return err
	}
	if rx.client == "" {
		ua.ErrorMsg("No Client resource found!\n")
		return errFailed
	}
	restoreClient := rx.client
	if i := ua.FindArgWithValue("restoreclient"); i >= 0 {
		a := ua.Args[i]
		if msg := nameError(a.Value); msg != "" {
			ua.ErrorMsg("%s argument: %s", a.Key, msg)
			return errFailed
		}
		if !c.clientResource(ua, a.Value) {
			ua.ErrorMsg("invalid %s argument: %s\n", a.Key, a.Value)
			return errFailed
		}
		restoreClient = a.Value
	}
	// The Director hands the job to its run command now.
	return c.runRestore(ctx, ua, rx, job, restoreClient)
}

// clientResource reports whether a Client resource called name exists
// that the console may access.
func (c *cmds) clientResource(ua *uacontext.UA, name string) bool {
	for _, cl := range c.cat.Clients() {
		if cl.Name == name {
			return ua.ACLAccessOK(uacontext.ACLClient, name)
		}
	}
	return false
}

// getRestoreJob is the Director's get_restore_job: restorejob= or a
// choice among the Restore Job resources the console may use.
func (c *cmds) getRestoreJob(ctx context.Context, ua *uacontext.UA) (*JobResource, error) {
	if v, ok := ua.ArgValue("restorejob"); ok {
		for _, j := range c.cat.Jobs() {
			if j.Name == v && j.Type == JobTypeRestore && ua.ACLAccessOK(uacontext.ACLJob, j.Name) {
				job := j
				return &job, nil
			}
		}
		ua.ErrorMsg("Error: Restore Job resource \"%s\" does not exist.\n", v)
	}
	ua.StartPrompt("The defined Restore Job resources are:\n")
	var names []string
	for _, j := range c.cat.Jobs() {
		if j.Type == JobTypeRestore && ua.ACLAccessOK(uacontext.ACLJob, j.Name) {
			names = append(names, j.Name)
		}
	}
	sortCaseInsensitive(names)
	for _, n := range names {
		ua.AddPrompt(n)
	}
	_, name, err := ua.DoPrompt(ctx, "Job", "Select Restore Job")
	if err != nil {
		return nil, err
	}
	for _, j := range c.cat.Jobs() {
		if j.Name == name {
			job := j
			return &job, nil
		}
	}
	return nil, errFailed
}

// sortCaseInsensitive sorts names like the Director's
// SortCaseInsensitive (ASCII case folded, stable).
func sortCaseInsensitive(names []string) {
	lower := func(s string) string {
		b := []byte(s)
		for i, c := range b {
			if 'A' <= c && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
		return string(b)
	}
	for i := 1; i < len(names); i++ {
		for j := i; j > 0 && lower(names[j]) < lower(names[j-1]); j-- {
			names[j], names[j-1] = names[j-1], names[j]
		}
	}
}

// getClientName is the Director's GetClientName: the backup client
// from client= or backupclient=, or chosen from the catalog's clients.
func (c *cmds) getClientName(ctx context.Context, ua *uacontext.UA, rx *restoreCtx) error {
	if rx.client != "" {
		return nil
	}
	i := ua.FindArgWithValue("client")
	if i < 0 {
		i = ua.FindArgWithValue("backupclient")
	}
	if i >= 0 {
		a := ua.Args[i]
		if msg := nameError(a.Value); msg != "" {
			ua.ErrorMsg("%s argument: %s", a.Key, msg)
			return errFailed
		}
		// A client the console may not access is unknown to it (the
		// Director checks no ACL here).
		if _, found, err := c.clientRecord(ctx, a.Value); err != nil {
			return catalogError(ctx, err)
		} else if !found || !ua.ACLAccessOK(uacontext.ACLClient, a.Value) {
			ua.ErrorMsg("invalid %s argument: %s\n", a.Key, a.Value)
			return errFailed
		}
		rx.client = a.Value
		return nil
	}
	cr, err := c.getClientDbr(ctx, ua)
	if err != nil {
		return err
	}
	rx.client = cr.Name
	return nil
}

// clientRecord looks a client up in the catalog.
func (c *cmds) clientRecord(ctx context.Context, name string) (ClientRecord, bool, error) {
	recs, err := c.clients.ClientRecords(ctx)
	if err != nil {
		return ClientRecord{}, false, err
	}
	for _, r := range recs {
		if r.Name == name {
			return r, true, nil
		}
	}
	return ClientRecord{}, false, nil
}

// errClientNotFound is the catalog's message for a missing client.
const errClientNotFound = "Client record not found in Catalog.\n"

// getClientDbr is the Director's GetClientDbr: client= or fd= (if the
// console may access it), else a choice among the catalog's clients.
func (c *cmds) getClientDbr(ctx context.Context, ua *uacontext.UA) (ClientRecord, error) {
	for _, a := range ua.Args[1:] {
		if (ascii.EqualFold(a.Key, "client") || ascii.EqualFold(a.Key, "fd")) && a.HasValue {
			if !ua.ACLAccessOK(uacontext.ACLClient, a.Value) {
				break
			}
			cr, found, err := c.clientRecord(ctx, a.Value)
			if err != nil {
				return ClientRecord{}, catalogError(ctx, err)
			}
			if !found {
				ua.ErrorMsg("Could not find Client \"%s\": ERR=%s", a.Value, errClientNotFound)
				break
			}
			return cr, nil
		}
	}
	return c.selectClientDbr(ctx, ua)
}

// selectClientDbr is the Director's SelectClientDbr.
func (c *cmds) selectClientDbr(ctx context.Context, ua *uacontext.UA) (ClientRecord, error) {
	recs, err := c.clients.ClientRecords(ctx)
	if err != nil {
		ua.ErrorMsg("Error obtaining client ids. ERR=%s\n", err.Error())
		return ClientRecord{}, errFailed
	}
	if len(recs) == 0 {
		ua.ErrorMsg("No clients defined. You must run a job before using this command.\n")
		return ClientRecord{}, errFailed
	}
	ua.StartPrompt("Defined Clients:\n")
	for _, r := range recs {
		if ua.ACLAccessOK(uacontext.ACLClient, r.Name) {
			ua.AddPrompt(r.Name)
		}
	}
	_, name, err := ua.DoPrompt(ctx, "Client", "Select the Client")
	if err != nil {
		return ClientRecord{}, err
	}
	cr, found, err := c.clientRecord(ctx, name)
	if err != nil {
		return ClientRecord{}, catalogError(ctx, err)
	}
	if !found {
		ua.ErrorMsg("Could not find Client \"%s\": ERR=%s", name, errClientNotFound)
		return ClientRecord{}, errFailed
	}
	return cr, nil
}
