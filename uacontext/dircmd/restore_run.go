package dircmd

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/uacontext"
)

// replaceOptions are the Director's ReplaceOptions, in its order.
var replaceOptions = []string{"Always", "IfNewer", "IfOlder", "Never"}

// restoreRun is the restore job being prepared: the part of the
// Director's run command (DoRunCmd) that restore hands its job to.
type restoreRun struct {
	job        JobResource
	job0       RestoreJob
	where      optArg
	regexWhere optArg
	replace    string
}

// runRestore is what the Director does with the "run job=... yes"
// command line restore builds: show the job, ask "OK to run?" (unless
// yes was given or the session is in batch mode), let the user modify
// it, and queue it. Every failure ends in "Job not run.".
func (c *cmds) runRestore(ctx context.Context, ua *uacontext.UA, rx *restoreCtx, job *JobResource, restoreClient string) error {
	r, err := c.prepareRestore(ctx, ua, rx, job, restoreClient)
	if err != nil {
		ua.SendMsg("Job not run.\n")
		return err
	}
	if !ua.Batch && ua.FindArg("yes") <= 0 {
		if err := c.confirmRestore(ctx, ua, r); err != nil {
			ua.SendMsg("Job not run.\n")
			return err
		}
	}
	runner, ok := c.cat.(RestoreRunner)
	if !ok {
		ua.ErrorMsg("Job failed.\n")
		return errFailed
	}
	id, err := runner.RunRestore(ctx, r.job0)
	if err != nil || id == 0 {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		ua.ErrorMsg("Job failed.\n")
		return errFailed
	}
	f := ua.Send
	f.ObjectStart("run", formatter.Null)
	f.KVString("jobid", formatter.Null, formatUint(id), "Job queued. JobId=%s\n")
	f.ObjectEnd("run", formatter.Null)
	return nil
}

// prepareRestore sets up the job from the restore's selections as the
// Director's run command does with its arguments.
func (c *cmds) prepareRestore(ctx context.Context, ua *uacontext.UA, rx *restoreCtx, job *JobResource, restoreClient string) (*restoreRun, error) {
	if !ua.ACLAccessOK(uacontext.ACLJob, job.Name) {
		ua.SendMsg("Job \"%s\" not found\n", job.Name)
		return nil, errFailed
	}
	catalog := ""
	if cats := c.cat.Catalogs(); len(cats) > 0 {
		catalog = cats[0].Name
	}
	store := rx.store
	if store == "" {
		ua.StartPrompt("The defined Storage resources are:\n")
		for _, s := range c.cat.Storages() {
			if ua.ACLAccessOK(uacontext.ACLStorage, s.Name) {
				ua.AddPrompt(s.Name)
			}
		}
		_, name, err := ua.DoPrompt(ctx, "Storage", "Select Storage resource")
		if err != nil {
			return nil, err
		}
		store = name
	}
	if !ua.ACLAccessOK(uacontext.ACLStorage, store) {
		ua.ErrorMsg("No authorization. Storage \"%s\".\n", store)
		return nil, errFailed
	}
	if !ua.ACLAccessOK(uacontext.ACLClient, rx.client) {
		ua.ErrorMsg("Client \"%s\" not found.\n", rx.client)
		return nil, errFailed
	}
	if !c.clientResource(ua, restoreClient) {
		ua.WarningMsg("Restore Client \"%s\" not found.\n", restoreClient)
		name, err := c.selectClientResource(ctx, ua)
		if err != nil {
			return nil, err
		}
		restoreClient = name
	}
	r := &restoreRun{job: *job, where: rx.where, regexWhere: rx.regexWhere, replace: "Always"}
	if rx.replace.ok {
		i := slices.IndexFunc(replaceOptions, func(o string) bool { return equalFold(o, rx.replace.v) })
		if i < 0 {
			ua.SendMsg("Invalid replace option: %s\n", rx.replace.v)
			return nil, errFailed
		}
		r.replace = replaceOptions[i]
	}
	format := "Native"
	if rx.backupFormat.ok {
		format = rx.backupFormat.v
	}
	r.job0 = RestoreJob{
		Job: job.Name, BackupClient: rx.client, RestoreClient: restoreClient,
		FileSet: job.FileSet, Storage: store, Catalog: catalog,
		BackupFormat: format, PluginOptions: rx.pluginOptions.v, Comment: rx.comment.v,
		Priority: job.Priority, When: c.opts.Now(),
		Bootstrap: rx.bootstrap, BootstrapRecords: rx.bsrText,
		Files: rx.selected, JobIDs: parseJobIDs(rx.jobIDs),
	}
	r.sync(c)
	return r, nil
}

// sync copies where and replace into the job description.
func (r *restoreRun) sync(c *cmds) {
	r.job0.Where, r.job0.RegexWhere = "", ""
	if r.regexWhere.ok {
		r.job0.RegexWhere = r.regexWhere.v
	} else if r.where.ok {
		r.job0.Where = r.where.v
	} else {
		r.job0.Where = c.opts.Restore.Where
	}
	r.job0.Replace = r.replace
}

func nprt(s string) string {
	if s == "" {
		return "*None*"
	}
	return s
}

// displayRestore shows the job as the Director's DisplayJobParameters
// does for a restore job with a bootstrap.
func (c *cmds) displayRestore(ua *uacontext.UA, r *restoreRun) {
	j := r.job0
	whereLine := "Where:           " + j.Where + "\n"
	if r.regexWhere.ok {
		whereLine = "RegexWhere:      " + j.RegexWhere + "\n"
	}
	body := "JobName:         " + j.Job + "\n" +
		"Bootstrap:       " + nprt(j.Bootstrap) + "\n" +
		whereLine +
		"Replace:         " + j.Replace + "\n" +
		"FileSet:         " + j.FileSet + "\n" +
		"Backup Client:   " + j.BackupClient + "\n" +
		"Restore Client:  " + j.RestoreClient + "\n" +
		"Format:          " + j.BackupFormat + "\n" +
		"Storage:         " + j.Storage + "\n" +
		"When:            " + j.When.Format(dateLayout) + "\n" +
		"Catalog:         " + j.Catalog + "\n" +
		"Priority:        " + formatUint(uint64(j.Priority)) + "\n" +
		"Plugin Options:  " + nprt(j.PluginOptions) + "\n"
	if ua.Mode() != apimode.Off {
		ua.Signal(bsock.RunCmd)
		ua.SendRawMsg("Type: Restore\nTitle: Run Restore job\n" + body)
		return
	}
	ua.SendRawMsg("Run Restore job\n" + body)
}

// confirmRestore is the Director's "OK to run? (yes/mod/no):" loop with
// its parameter menu. It returns nil when the user said yes.
func (c *cmds) confirmRestore(ctx context.Context, ua *uacontext.UA, r *restoreRun) error {
	for {
		c.displayRestore(ua, r)
		var ans string
		for {
			var err error
			if ans, err = ua.GetCmd(ctx, "OK to run? (yes/mod/no): "); err != nil {
				return err
			}
			if validRunAnswer(ans) {
				break
			}
			ua.WarningMsg("Illegal response %s\n", ans)
		}
		switch {
		case ans == "" || hasPrefixFoldN(ans, "yes"):
			return nil
		case hasPrefixFoldN(ans, "mod") || hasPrefixFoldN(ans, ".mod "):
			if err := c.modifyRestore(ctx, ua, r); err != nil {
				return err
			}
		default: // no
			return errFailed
		}
	}
}

// hasPrefixFoldN reports whether s is a case-insensitive prefix of word
// (the Director's bstrncasecmp(s, word, strlen(s))).
func hasPrefixFoldN(s, word string) bool {
	return len(s) <= len(word) && equalFold(s, word[:len(s)])
}

func validRunAnswer(s string) bool {
	if s == "" {
		return true
	}
	return hasPrefixFoldN(s[:min(len(s), 5)], ".mod ") || hasPrefixFoldN(s[:min(len(s), 4)], "mod ") ||
		hasPrefixFoldN(s, "yes") || hasPrefixFoldN(s, "no")
}

// restoreParams is the Director's menu of a restore job's parameters.
var restoreParams = []string{"Level", "Storage", "Job", "FileSet", "Restore Client", "Backup Format", "When",
	"Priority", "Bootstrap", "Where", "File Relocation", "Replace", "JobId", "Plugin Options"}

// modifyRestore is the Director's ModifyJobParameters for a restore job.
// It returns an error when the user canceled (the job is not run).
func (c *cmds) modifyRestore(ctx context.Context, ua *uacontext.UA, r *restoreRun) error {
	ua.StartPrompt("Parameters to modify:\n")
	for _, p := range restoreParams {
		ua.AddPrompt(p)
	}
	choice, _, err := ua.DoPrompt(ctx, "", "Select parameter to modify")
	if err != nil {
		return err
	}
	keep := func(err error) error { // a failed sub-prompt returns to the job
		if err != nil && !uacontext.IsInputFailure(err) {
			return err
		}
		return nil
	}
	j := &r.job0
	switch choice {
	case 0: // Level
		ua.WarningMsg("Level not appropriate for this Job. Cannot be changed.\n")
	case 1: // Storage
		ua.StartPrompt("The defined Storage resources are:\n")
		for _, s := range c.cat.Storages() {
			if ua.ACLAccessOK(uacontext.ACLStorage, s.Name) {
				ua.AddPrompt(s.Name)
			}
		}
		_, name, err := ua.DoPrompt(ctx, "Storage", "Select Storage resource")
		if err != nil {
			return err // the Director does not run the job then
		}
		j.Storage = name
	case 2: // Job
		ua.StartPrompt("The defined Job resources are:\n")
		var names []string
		for _, jr := range c.cat.Jobs() {
			if jr.Type == JobTypeRestore && ua.ACLAccessOK(uacontext.ACLJob, jr.Name) {
				names = append(names, jr.Name)
			}
		}
		sortCaseInsensitive(names)
		for _, n := range names {
			ua.AddPrompt(n)
		}
		_, name, err := ua.DoPrompt(ctx, "Job", "Select Job resource")
		if err != nil {
			return err
		}
		for _, jr := range c.cat.Jobs() {
			if jr.Name == name {
				r.job = jr
				j.Job, j.FileSet, j.Priority = jr.Name, jr.FileSet, jr.Priority
			}
		}
	case 3: // FileSet
		ua.StartPrompt("The defined FileSet resources are:\n")
		for _, fs := range c.cat.FileSets() {
			if ua.ACLAccessOK(uacontext.ACLFileSet, fs.Name) {
				ua.AddPrompt(fs.Name)
			}
		}
		_, name, err := ua.DoPrompt(ctx, "FileSet", "Select FileSet resource")
		if err != nil {
			return err
		}
		j.FileSet = name
	case 4: // Restore Client
		name, err := c.selectClientResource(ctx, ua)
		if err != nil {
			return err
		}
		j.RestoreClient = name
	case 5: // Backup Format
		v, err := ua.GetCmd(ctx, "Please enter Backup Format: ")
		if err != nil {
			return keep(err)
		}
		j.BackupFormat = v
	case 6: // When
		for {
			v, err := ua.GetCmd(ctx, "Please enter desired start time as YYYY-MM-DD HH:MM:SS (return for now): ")
			if err != nil {
				return keep(err)
			}
			if v == "" {
				j.When = c.opts.Now()
				break
			}
			t, ok := c.strToUtime(v)
			if !ok {
				ua.SendMsg("Invalid time specification.\n")
				continue
			}
			j.When = t
			break
		}
	case 7: // Priority
		v, err := ua.GetPint(ctx, "Enter new Priority: ")
		if err != nil {
			return keep(err)
		}
		if uint32(v) == 0 {
			ua.SendMsg("Priority must be a positive integer.\n")
		} else {
			j.Priority = int(int32(uint32(v)))
		}
	case 8: // Bootstrap
		v, err := ua.GetCmd(ctx, "Please enter the Bootstrap file name: ")
		if err != nil {
			return keep(err)
		}
		if v != "" && v != j.Bootstrap {
			// This Director reads no files: only its own bootstrap
			// can be used.
			ua.SendMsg("Warning cannot open %s: ERR=%s\n", v, "No such file or directory")
		}
	case 9: // Where
		v, err := ua.GetCmd(ctx, "Please enter the full path prefix for restore (/ for none): ")
		if err != nil {
			return keep(err)
		}
		if !ua.ACLAccessOK(uacontext.ACLWhere, v) {
			ua.SendMsg("No authorization for \"where\" specification.\n")
			break
		}
		if v == "/" {
			v = ""
		}
		r.regexWhere = optArg{}
		r.where = optArg{v, true}
		r.sync(c)
	case 10: // File Relocation
		if err := c.selectWhereRegexp(ctx, ua, r); err != nil {
			return err
		}
		r.sync(c)
	case 11: // Replace
		ua.StartPrompt("Replace:\n")
		for _, o := range replaceOptions {
			ua.AddPrompt(o)
		}
		i, _, err := ua.DoPrompt(ctx, "", "Select replace option")
		if err != nil && !uacontext.IsInputFailure(err) {
			return err
		}
		if err == nil {
			r.replace = replaceOptions[i]
			r.sync(c)
		}
	case 12: // JobId
		ua.SendMsg("You must set the bootstrap file to NULL to be able to specify a JobId.\n")
	case 13: // Plugin Options
		v, err := ua.GetCmd(ctx, "Please enter Plugin Options string: ")
		if err != nil {
			return keep(err)
		}
		if !ua.ACLAccessOK(uacontext.ACLPluginOptions, v) {
			ua.SendMsg("No authorization for \"PluginOptions\" specification.\n")
			break
		}
		j.PluginOptions = v
	}
	return nil
}

// selectClientResource is the Director's select_client_resource.
func (c *cmds) selectClientResource(ctx context.Context, ua *uacontext.UA) (string, error) {
	ua.StartPrompt("The defined Client resources are:\n")
	var names []string
	for _, cl := range c.cat.Clients() {
		if ua.ACLAccessOK(uacontext.ACLClient, cl.Name) {
			names = append(names, cl.Name)
		}
	}
	sortCaseInsensitive(names)
	for _, n := range names {
		ua.AddPrompt(n)
	}
	_, name, err := ua.DoPrompt(ctx, "Client", "Select Client (File daemon) resource")
	return name, err
}

// selectWhereRegexp is the Director's SelectWhereRegexp: build a
// RegexWhere from a prefix to strip, a prefix and a suffix to add, or
// enter one.
func (c *cmds) selectWhereRegexp(ctx context.Context, ua *uacontext.UA, r *restoreRun) error {
	var strip, addPrefix, addSuffix, rwhere optArg
	for {
		ua.SendMsg("strip_prefix=%s add_prefix=%s add_suffix=%s\n", nprtOpt(strip), nprtOpt(addPrefix), nprtOpt(addSuffix))
		ua.StartPrompt("This will replace your current Where value\n")
		for _, p := range []string{"Strip prefix", "Add prefix", "Add file suffix", "Enter a regexp", "Test filename manipulation", "Use this ?"} {
			ua.AddPrompt(p)
		}
		choice, _, err := ua.DoPrompt(ctx, "", "Select parameter to modify")
		if err != nil {
			if uacontext.IsInputFailure(err) {
				return nil
			}
			return err
		}
		ask := func(prompt string) (string, bool, error) {
			v, err := ua.GetCmd(ctx, prompt)
			if err != nil {
				if uacontext.IsInputFailure(err) {
					return "", false, nil
				}
				return "", false, err
			}
			return v, true, nil
		}
		switch choice {
		case 0:
			v, ok, err := ask("Please enter the path prefix to strip: ")
			if err != nil {
				return err
			}
			if ok {
				strip = optArg{v, true}
			}
		case 1:
			v, ok, err := ask("Please enter the path prefix to add (/ for none): ")
			if err != nil {
				return err
			}
			if ok {
				if v == "/" {
					v = ""
				}
				addPrefix = optArg{v, true}
			}
		case 2:
			v, ok, err := ask("Please enter the file suffix to add: ")
			if err != nil {
				return err
			}
			if ok {
				addSuffix = optArg{v, true}
			}
		case 3:
			v, ok, err := ask("Please enter a valid regexp (!from!to!): ")
			if err != nil {
				return err
			}
			if ok {
				if !ua.ACLAccessOK(uacontext.ACLWhere, v) {
					ua.SendMsg("Denied by \"WhereACL\" configuration.\n")
					continue
				}
				rwhere = optArg{v, true}
			}
		case 4:
			var re string
			if rwhere.ok && rwhere.v != "" {
				re = rwhere.v
				ua.SendMsg("regexwhere=%s\n", re)
			} else {
				re = buildWhere(strip, addPrefix, addSuffix)
				ua.SendMsg("strip_prefix=%s add_prefix=%s add_suffix=%s result=%s\n", nprtOpt(strip), nprtOpt(addPrefix), nprtOpt(addSuffix), nprt(re))
			}
			regs, ok := parseBregexps(re)
			if !ok {
				ua.SendMsg("Cannot use your regexp\n")
				continue
			}
			ua.SendMsg("Enter a period (.) to stop this test\n")
			for {
				name, err := ua.GetCmd(ctx, "Please enter filename to test: ")
				if err != nil {
					if !uacontext.IsInputFailure(err) {
						return err
					}
					break
				}
				ua.SendMsg("%s -> %s\n", name, applyBregexps(regs, name))
			}
		case 5:
			var where string
			switch {
			case rwhere.ok:
				where = rwhere.v
			case strip.ok || addPrefix.ok || addSuffix.ok:
				where = buildWhere(strip, addPrefix, addSuffix)
				if !ua.ACLAccessOK(uacontext.ACLWhere, where) {
					ua.SendMsg("Regex (%s) denied by \"WhereACL\" configuration.\n", where)
					continue
				}
			}
			r.where = optArg{}
			r.regexWhere = optArg{}
			if _, ok := parseBregexps(where); ok {
				r.regexWhere = optArg{where, true}
			} else {
				ua.SendMsg("Cannot use your regexp.\n")
			}
			return nil
		}
	}
}

func nprtOpt(o optArg) string {
	if !o.ok {
		return "*None*"
	}
	return o.v
}

// bregexp is one "!from!to!opts" expression of a RegexWhere.
type bregexp struct {
	re     *regexp.Regexp
	to     string
	global bool
}

// parseBregexps parses a comma-separated list of sed-like expressions
// "<sep>regexp<sep>replacement<sep>options" (options i: ignore case, g:
// every match), as the Director's get_bregexps does.
func parseBregexps(s string) ([]bregexp, bool) {
	if s == "" {
		return nil, false
	}
	var out []bregexp
	for s != "" {
		sep := s[0]
		rest := s[1:]
		var parts []string
		var cur strings.Builder
		for len(parts) < 2 && rest != "" {
			ch := rest[0]
			rest = rest[1:]
			switch {
			case ch == '\\' && rest != "" && rest[0] == sep:
				cur.WriteByte(sep)
				rest = rest[1:]
			case ch == sep:
				parts = append(parts, cur.String())
				cur.Reset()
			default:
				cur.WriteByte(ch)
			}
		}
		if len(parts) < 2 {
			return nil, false
		}
		opts, next, _ := strings.Cut(rest, ",")
		expr := parts[0]
		if strings.Contains(opts, "i") {
			expr = "(?i)" + expr
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, false
		}
		out = append(out, bregexp{re: re, to: parts[1], global: strings.Contains(opts, "g")})
		s = next
	}
	return out, true
}

// applyBregexps applies the expressions in turn to name.
func applyBregexps(regs []bregexp, name string) string {
	for _, b := range regs {
		tmpl := expandTemplate(b.to)
		if b.global {
			name = b.re.ReplaceAllString(name, tmpl)
			continue
		}
		if loc := b.re.FindStringSubmatchIndex(name); loc != nil {
			var dst []byte
			dst = b.re.ExpandString(dst, tmpl, name, loc)
			name = name[:loc[0]] + string(dst) + name[loc[1]:]
		}
	}
	return name
}

// expandTemplate turns the Director's replacement ("\\1" or "$1" for
// a group) into a regexp.Expand template.
func expandTemplate(to string) string {
	var b strings.Builder
	for i := 0; i < len(to); i++ {
		ch := to[i]
		if (ch == '\\' || ch == '$') && i+1 < len(to) && to[i+1] >= '0' && to[i+1] <= '9' {
			b.WriteString("${")
			b.WriteByte(to[i+1])
			b.WriteString("}")
			i++
			continue
		}
		if ch == '$' {
			b.WriteString("$$")
			continue
		}
		b.WriteByte(ch)
	}
	return b.String()
}
