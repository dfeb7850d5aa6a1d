package dircmd

import (
	"context"
	"crypto/sha256"
	"fmt"
	"github.com/uaformat/uaformat/internal/ascii"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd/resource"
)

// statusDispatch is the Director's StatusCmd: the first argument decides.
func (c *cmds) statusDispatch(ctx context.Context, ua *uacontext.UA) error {
	for _, a := range ua.Args[1:] {
		k := a.Key
		switch {
		case ascii.EqualFold(k, "all"):
			return c.allStatus(ctx, ua)
		case ascii.HasPrefixFold(k, "dir"):
			return c.directorStatus(ctx, ua)
		case ascii.EqualFold(k, "client"):
			return c.clientStatus(ctx, ua)
		case ascii.HasPrefixFold(k, "sched"):
			return c.schedulerStatus(ctx, ua)
		case ascii.HasPrefixFold(k, "sub"):
			return c.subscriptionStatus(ctx, ua)
		case ascii.HasPrefixFold(k, "conf"):
			return c.configurationStatus(ua)
		default:
			return c.storageStatus(ctx, ua)
		}
	}
	// Without arguments the Director asks which daemon.
	return c.directorStatus(ctx, ua)
}

// allStatus is "status all": the Director, then every storage (once per
// address and port) and every client.
func (c *cmds) allStatus(ctx context.Context, ua *uacontext.UA) error {
	if err := c.directorStatus(ctx, ua); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, st := range c.configResources(resource.Storage) {
		key := st.String("Address") + ":" + strconv.FormatInt(st.Int("Port"), 10)
		if seen[key] || !ua.ACLAccessOK(uacontext.ACLStorage, st.Name()) {
			continue
		}
		seen[key] = true
		c.nativeStorageStatus(ctx, ua, st)
	}
	seen = map[string]bool{}
	for _, cl := range c.configResources(resource.Client) {
		key := cl.String("Address") + ":" + strconv.FormatInt(cl.Int("Port"), 10)
		if seen[key] || !ua.ACLAccessOK(uacontext.ACLClient, cl.Name()) {
			continue
		}
		seen[key] = true
		c.nativeClientStatus(ctx, ua, cl)
	}
	return nil
}

// clientStatus is "status client=<name>".
func (c *cmds) clientStatus(ctx context.Context, ua *uacontext.UA) error {
	cl, err := c.clientArgResource(ctx, ua)
	if ok, err := proceed(err); !ok {
		return err
	}
	if !cl.Bool("Enabled") {
		ua.SendMsg("Client \"%s\" is disabled; skipping status call\n", cl.Name())
		return nil
	}
	c.nativeClientStatus(ctx, ua, cl)
	return nil
}

func (c *cmds) nativeClientStatus(ctx context.Context, ua *uacontext.UA, cl *resource.Resource) {
	if ua.Mode() == apimode.Off {
		ua.SendMsg("Connecting to Client %s at %s:%d\n", cl.Name(), cl.String("Address"), cl.Int("Port"))
	}
	fd, ok := c.cat.(FileDaemons)
	var msgs []string
	err := ErrUnreachable
	if ok {
		msgs, err = fd.ClientCommand(ctx, cl.Name(), "status")
	}
	if err != nil {
		ua.SendMsg("\nFailed to connect to Client %s.\n====\n", cl.Name())
		return
	}
	for _, m := range msgs {
		ua.SendMsg("%s", m)
	}
}

// clientArgResource is the Director's get_client_resource (see
// GetClientResource: client= or fd=, else the Client resources are
// offered) as the configuration's Client resource.
func (c *cmds) clientArgResource(ctx context.Context, ua *uacontext.UA) (*resource.Resource, error) {
	cl, err := GetClientResource(ctx, ua, c.cat)
	if err != nil {
		return nil, err
	}
	if r := c.findResource(ua, resource.Client, cl.Name); r != nil {
		return r, nil
	}
	return nil, uacontext.Errorf("Error: Client resource %s does not exist.\n", cl.Name)
}

// storageStatus is "status storage=<name> [slots]".
func (c *cmds) storageStatus(ctx context.Context, ua *uacontext.UA) error {
	slots := ua.FindArg("slots") > 0
	st, err := c.storageArg(ctx, ua, false, slots)
	if ok, err := proceed(err); !ok {
		return err
	}
	if !slots {
		c.nativeStorageStatus(ctx, ua, st)
		return nil
	}
	switch ua.Mode() {
	case apimode.Off:
		c.statusSlots(ctx, ua, st)
	case apimode.JSON:
		c.statusContentJSON(ctx, ua, st)
	default:
		c.statusContentAPI(ctx, ua, st)
	}
	return nil
}

func (c *cmds) nativeStorageStatus(ctx context.Context, ua *uacontext.UA, st *resource.Resource) {
	if ua.Mode() == apimode.Off {
		ua.SendMsg("Connecting to Storage daemon %s at %s:%d\n", st.Name(), st.String("Address"), st.Int("Port"))
	}
	sd, ok := c.cat.(StorageDaemons)
	var msgs []string
	err := ErrUnreachable
	if ok {
		msgs, err = sd.StorageCommand(ctx, st.Name(), "status "+bashSpaces(strings.Join(st.List("Device"), ",")))
	}
	if err != nil {
		ua.SendMsg("\nFailed to connect to Storage daemon %s.\n====\n", st.Name())
		return
	}
	ua.SendMsg(" Encryption: None\n")
	for _, m := range msgs {
		ua.SendMsg("%s", m)
	}
}

// volumeRecord returns the catalog's record of a volume and the name of
// its pool ("?" if the pool is unknown).
func (c *cmds) volumeRecord(ctx context.Context, name string) (Media, string, bool) {
	media, err := c.media.ListMedia(ctx, MediaQuery{VolumeName: name})
	if err != nil || len(media) == 0 || name == "" {
		return Media{}, "", false
	}
	m := media[0]
	pool := "?"
	if pools, err := c.pools.PoolRecords(ctx); err == nil {
		for _, p := range pools {
			if p.PoolID == m.PoolID {
				pool = p.Name
			}
		}
	}
	return m, pool, true
}

// loadedFrom returns the drive that holds the volume of slot, if any.
func loadedFrom(contents []ChangerSlot, slot int) (ChangerSlot, bool) {
	for _, cs := range contents {
		if cs.Type == SlotDrive && cs.Full && cs.Loaded == slot {
			return cs, true
		}
	}
	return ChangerSlot{}, false
}

// statusSlots is the text table of "status storage=<name> slots".
func (c *cmds) statusSlots(ctx context.Context, ua *uacontext.UA, st *resource.Resource) {
	s := c.sd(ua, st)
	maxSlots := s.slots(ctx)
	if maxSlots <= 0 {
		ua.WarningMsg("No slots in changer to scan.\n")
		return
	}
	selected, err := slotList(ua, "slots", maxSlots)
	if err != nil {
		return
	}
	contents, ok := s.contents(ctx)
	s.close()
	if !ok {
		ua.WarningMsg("No Volumes found, or no barcodes.\n")
		return
	}
	line := func(slot int, mark byte, vol, status, mediaType, pool string) {
		ua.SendMsg(" %4d%c| %16s | %9s | %14s | %24s |\n", slot, mark, vol, status, mediaType, pool)
	}
	ua.SendMsg(" Slot |   Volume Name    |   Status  |  Media Type    |         Pool          |\n")
	ua.SendMsg("------+------------------+-----------+----------------+--------------------------|\n")
	for _, cs := range contents {
		if cs.Type == SlotDrive {
			continue
		}
		if cs.Slot > maxSlots {
			ua.WarningMsg("Slot %d greater than max %d ignored.\n", cs.Slot, maxSlots)
			continue
		}
		if cs.Slot < 1 || !selected[cs.Slot-1] {
			continue
		}
		vol := cs.Volume
		var drive ChangerSlot
		inDrive := false
		if !cs.Full {
			if cs.Type == SlotImport {
				line(cs.Slot, '@', "?", "?", "?", "?")
				continue
			}
			if drive, inDrive = loadedFrom(contents, cs.Slot); !inDrive {
				line(cs.Slot, '*', "?", "?", "?", "?")
				continue
			}
			vol = drive.Volume
		}
		mark := byte('*')
		if cs.Type == SlotImport {
			mark = '@'
		}
		if vol == "" {
			line(cs.Slot, mark, "?", "?", "?", "?")
			continue
		}
		m, pool, found := c.volumeRecord(ctx, vol)
		switch {
		case !found:
			line(cs.Slot, mark, vol, "?", "?", "?")
		case cs.Type == SlotImport:
			line(cs.Slot, '@', m.VolumeName, m.VolStatus, m.MediaType, pool)
		default:
			mark = '*'
			if int64(cs.Slot) == m.Slot {
				mark = ' '
				if inDrive {
					mark = '%'
				}
			}
			line(cs.Slot, mark, m.VolumeName, m.VolStatus, m.MediaType, pool)
		}
	}
}

// statusContentJSON is "status storage=<name> slots" in API mode 2.
func (c *cmds) statusContentJSON(ctx context.Context, ua *uacontext.UA, st *resource.Resource) {
	s := c.sd(ua, st)
	contents, ok := s.contents(ctx)
	s.close()
	if !ok {
		ua.WarningMsg("No Volumes found, or no barcodes.\n")
		return
	}
	f := ua.Formatter()
	info := func(typ string, slot int, vol string) {
		m, pool, found := c.volumeRecord(ctx, vol)
		f.ObjectStart(null, null)
		f.KVString("type", null, typ, "%s\n")
		f.KVUint("slotnr", null, uint64(slot), "%hd\n")
		f.KVString("content", null, "full", "%s\n")
		if found {
			f.KVUint("mr_slotnr", null, uint64(m.Slot), "%lld\n")
			f.KVString("mr_volname", null, m.VolumeName, "%s\n")
			f.KVUint("mr_volbytes", null, m.VolBytes, "%lld\n")
			f.KVString("mr_volstatus", null, m.VolStatus, "%s\n")
			f.KVString("mr_mediatype", null, m.MediaType, "%s\n")
			f.KVString("pr_name", null, pool, "%s\n")
			f.KVUint("mr_lastwritten", null, uint64(unixOrZero(m.LastWritten)), "%lld\n")
			f.KVUint("mr_expire", null, uint64(unixOrZero(m.LastWritten)+int64(m.VolRetention)), "%lld\n")
		} else {
			f.KVUint("mr_slotnr", null, 0, "%lld\n")
			f.KVString("mr_volname", null, vol, "%s\n")
			f.KVString("mr_volbytes", null, "?", "%s\n")
			f.KVString("mr_volstatus", null, "?", "%s\n")
			f.KVString("mr_mediatype", null, "?", "%s\n")
			f.KVString("pr_name", null, "?", "%s\n")
			f.KVUint("mr_lastwritten", null, 0, "%lld\n")
			f.KVUint("mr_expire", null, 0, "%lld\n")
		}
		f.ObjectEnd(null, null)
	}
	f.ArrayStart("contents", null)
	for _, cs := range contents {
		typ := "slot"
		if cs.Type == SlotImport {
			typ = "import_slot"
		}
		switch {
		case cs.Type == SlotDrive:
			f.ObjectStart(null, null)
			f.KVString("type", null, "drive", "%s\n")
			f.KVUint("slotnr", null, uint64(cs.Slot), "%hd\n")
			if cs.Full {
				f.KVString("content", null, "full", "%s\n")
				f.KVUint("loaded", null, uint64(cs.Loaded), "%hd\n")
				f.KVString("volname", null, cs.Volume, "%s\n")
			} else {
				f.KVString("content", null, "empty", "%s\n")
			}
			f.ObjectEnd(null, null)
		case cs.Full:
			info(typ, cs.Slot, cs.Volume)
		default:
			if d, ok := loadedFrom(contents, cs.Slot); ok {
				info(typ, cs.Slot, d.Volume)
				continue
			}
			f.ObjectStart(null, null)
			f.KVString("type", null, typ, "%s\n")
			f.KVUint("slotnr", null, uint64(cs.Slot), "%hd\n")
			f.KVString("content", null, "empty", "%s\n")
			f.ObjectEnd(null, null)
		}
	}
	f.ArrayEnd("contents", null)
}

// statusContentAPI is "status storage=<name> slots" in API mode 1: the
// Director's pipe-separated lines.
func (c *cmds) statusContentAPI(ctx context.Context, ua *uacontext.UA, st *resource.Resource) {
	s := c.sd(ua, st)
	contents, ok := s.contents(ctx)
	s.close()
	if !ok {
		ua.WarningMsg("No Volumes found, or no barcodes.\n")
		return
	}
	info := func(typ byte, slot int, vol string) {
		if m, pool, found := c.volumeRecord(ctx, vol); found {
			ua.SendMsg("%c|%d|%d|%s|%s|%s|%s|%s|%s|%s\n", typ, slot, m.Slot, m.VolumeName,
				strconv.FormatUint(m.VolBytes, 10), m.VolStatus, m.MediaType, pool,
				strconv.FormatInt(unixOrZero(m.LastWritten), 10),
				strconv.FormatInt(unixOrZero(m.LastWritten)+int64(m.VolRetention), 10))
			return
		}
		ua.SendMsg("%c|%d|%d|%s|%s|%s|%s|%s|%s|%s\n", typ, slot, 0, vol, "?", "?", "?", "?", "0", "0")
	}
	for _, cs := range contents {
		switch {
		case cs.Type == SlotDrive && cs.Full:
			ua.SendMsg("%c|%d|%d|%s\n", 'D', cs.Slot, cs.Loaded, cs.Volume)
		case cs.Type == SlotDrive:
			ua.SendMsg("%c|%d||\n", 'D', cs.Slot)
		case cs.Full:
			info(byte(cs.Type), cs.Slot, cs.Volume)
		default:
			if d, ok := loadedFrom(contents, cs.Slot); ok {
				info(byte(cs.Type), cs.Slot, d.Volume)
				continue
			}
			ua.SendMsg("%c|%d||||||||\n", byte(cs.Type), cs.Slot)
		}
	}
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// slotList is the Director's GetUserSlotList: the slots= selection
// ("1-3,7"), all slots without one.
func slotList(ua *uacontext.UA, keyword string, maxSlots int) ([]bool, error) {
	sel := make([]bool, maxSlots)
	v, ok := ua.ArgValue(keyword)
	if !ok {
		for i := range sel {
			sel[i] = true
		}
		return sel, nil
	}
	if v == "" {
		for i := range sel {
			sel[i] = true
		}
		return sel, nil
	}
	for _, item := range strings.Split(v, ",") {
		lo, hi, isRange := strings.Cut(item, "-")
		a, err1 := strconv.Atoi(lo)
		b := a
		var err2 error
		if isRange {
			b, err2 = strconv.Atoi(hi)
		}
		if err1 != nil || err2 != nil || a <= 0 || b <= 0 || a > b {
			ua.ErrorMsg("Invalid range: %s\n", item)
			return nil, uacontext.ErrReported
		}
		for n := a; n <= b; n++ {
			if n > maxSlots {
				ua.ErrorMsg("Invalid slot number: %d\n", n)
				return nil, uacontext.ErrReported
			}
			sel[n-1] = true
		}
	}
	return sel, nil
}

// configurationStatus is "status configuration".
func (c *cmds) configurationStatus(ua *uacontext.UA) error {
	if !ua.ACLAccessOK(uacontext.ACLCommand, "configure") {
		ua.ErrorMsg("%s %s: is an invalid command or needs access right to the \"configure\" command.\n", argKey(ua, 0), argKey(ua, 1))
		return nil
	}
	ua.SendMsg("No deprecated configuration settings detected.\n")
	return nil
}

// schedulerStatus is "status scheduler [schedule=] [client=] [job=]
// [days=]": which schedules trigger which jobs, and a preview of the runs
// hour by hour.
func (c *cmds) schedulerStatus(ctx context.Context, ua *uacontext.UA) error {
	days, from, to := 7, 0, 7
	if v, ok := ua.ArgValue("days"); ok {
		if a, b, isRange := strings.Cut(v, ","); isRange {
			from, to = atoi(a), atoi(b)
			if from > to {
				from, to = to, from
			}
			if ua.Mode() == apimode.Off && (from < -366 || to > 366) {
				ua.SendMsg("Ignoring invalid days range. Allowed: -366..366.\n")
				from, to = 0, 7
			}
			days = max(abs(from), abs(to))
		} else {
			days = atoi(v)
			if ua.Mode() == apimode.Off && (days < -366 || days > 366) {
				ua.SendMsg("Ignoring invalid value for days. Allowed is -366 < days < 366.\n")
				days = 7
			}
			if days >= 0 {
				from, to = 0, days
			} else {
				from, to = days, 0
			}
		}
	}
	schedule, bySchedule := ua.ArgValue("schedule")
	// A client or job that is not selected (the prompt failed) does
	// not restrict the listing, as in the Director.
	var client, job *resource.Resource
	if ua.FindArgWithValue("client") >= 0 {
		cl, err := c.clientArgResource(ctx, ua)
		if sessionGone(err) {
			return err
		}
		client = cl
	}
	if name, ok := ua.ArgValue("job"); ok {
		if job = c.findResource(ua, resource.Job, name); job == nil {
			j, err := SelectJobResource(ctx, ua, c.cat)
			if sessionGone(err) {
				return err
			}
			if err == nil {
				job = c.findResource(ua, resource.Job, j.Name)
			}
		}
	}
	schedules := c.configResources(resource.Schedule)
	jobs := c.configResources(resource.Job)
	jobEnabled := func(j *resource.Resource) bool {
		if !j.Bool("Enabled") {
			return false
		}
		if cl := c.resource(resource.Client, j.String("Client")); cl != nil && !cl.Bool("Enabled") {
			return false
		}
		return true
	}
	visible := func(s *resource.Resource) bool {
		return s.Bool("Enabled") && ua.ACLAccessOK(uacontext.ACLSchedule, s.Name()) &&
			(!bySchedule || s.Name() == schedule)
	}
	// triggered lists the jobs a schedule starts, as the Director shows
	// them.
	triggered := func(s *resource.Resource) []*resource.Resource {
		var out []*resource.Resource
		if job != nil {
			if job.String("Schedule") == s.Name() {
				out = append(out, job)
			}
			return out
		}
		for _, j := range jobs {
			if !ua.ACLAccessOK(uacontext.ACLJob, j.Name()) || client != nil && j.String("Client") != client.Name() {
				continue
			}
			if j.String("Schedule") == s.Name() {
				out = append(out, j)
			}
		}
		return out
	}
	now := c.opts.Now()
	type run struct {
		at    time.Time
		sched string
		r     resource.Run
	}
	// preview collects the runs of the hours in [start, stop).
	preview := func(start, stop time.Time) []run {
		var out []run
		add := func(s *resource.Resource, at time.Time) {
			for _, r := range s.Runs() {
				if r.Triggers(at) && inHour(r, at.Hour()) {
					out = append(out, run{time.Date(at.Year(), at.Month(), at.Day(), at.Hour(), r.Minute, 0, 0, at.Location()), s.Name(), r})
				}
			}
		}
		for t := start; t.Before(stop); t = t.Add(time.Hour) {
			switch {
			case job != nil:
				s := c.resource(resource.Schedule, job.String("Schedule"))
				if s != nil && s.Bool("Enabled") && jobEnabled(job) {
					add(s, t)
				}
			case client != nil:
				for _, j := range jobs {
					if !ua.ACLAccessOK(uacontext.ACLJob, j.Name()) || j.String("Client") != client.Name() {
						continue
					}
					s := c.resource(resource.Schedule, j.String("Schedule"))
					if s == nil || !s.Bool("Enabled") || !j.Bool("Enabled") || bySchedule && s.Name() != schedule {
						continue
					}
					add(s, t)
				}
			default:
				for _, s := range schedules {
					if visible(s) {
						add(s, t)
					}
				}
			}
		}
		return out
	}
	if ua.Mode() == apimode.JSON {
		f := ua.Formatter()
		f.ArrayStart("schedules", null)
		for _, s := range schedules {
			if !visible(s) {
				continue
			}
			js := triggered(s)
			if len(js) == 0 {
				continue
			}
			f.ObjectStart(null, null)
			f.KVString("name", null, s.Name(), "%s\n")
			f.KVBool("enabled", null, s.Bool("Enabled"), null)
			f.ArrayStart("jobs", null)
			for _, j := range js {
				f.ObjectStart(null, null)
				f.KVString("name", null, j.Name(), "%s\n")
				f.KVBool("enabled", null, jobEnabled(j), null)
				f.ObjectEnd(null, null)
			}
			f.ArrayEnd("jobs", null)
			f.ObjectEnd(null, null)
		}
		f.ArrayEnd("schedules", null)
		f.ArrayStart("preview", null)
		for _, r := range preview(now.AddDate(0, 0, from), now.AddDate(0, 0, to)) {
			f.ObjectStart(null, null)
			f.KVString("datetime", null, r.at.Format("Mon 02-Jan-2006 15:04"), "%s\n")
			f.KVInt("runtime", null, r.at.Unix(), "%d\n")
			f.KVString("schedule", null, r.sched, "%s\n")
			if r.r.Level != "" {
				f.KVString("level", null, r.r.Level, "%s\n")
			}
			if r.r.Priority != 0 {
				f.KVInt("priority", null, int64(r.r.Priority), "%d\n")
			}
			if r.r.Pool != "" {
				f.KVString("pool", null, r.r.Pool, "%s\n")
			}
			if r.r.Storage != "" {
				f.KVString("storage", null, r.r.Storage, "%s\n")
			}
			if r.r.Messages != "" {
				f.KVString("messages", null, r.r.Messages, "%s\n")
			}
			if r.r.Accurate {
				f.KVBool("accurate", null, true, null)
			}
			f.ObjectEnd(null, null)
		}
		f.ArrayEnd("preview", null)
		return nil
	}
	ua.SendMsg("Scheduler Jobs:\n\n")
	ua.SendMsg("Schedule               Jobs Triggered\n")
	ua.SendMsg("===========================================================\n")
	for _, s := range schedules {
		if !visible(s) {
			continue
		}
		js := triggered(s)
		for i, j := range js {
			if i == 0 {
				ua.SendMsg("%s\n", s.Name())
			}
			if jobEnabled(j) {
				ua.SendMsg("                       %s\n", j.Name())
			} else {
				ua.SendMsg("                       %s (disabled)\n", j.Name())
			}
		}
		if len(js) > 0 {
			ua.SendMsg("\n")
		}
	}
	start, stop := now, now.AddDate(0, 0, days)
	if days <= 0 {
		start, stop = now.AddDate(0, 0, days), now
	}
	runs := preview(start, stop)
	dateLen := 0
	var overview strings.Builder
	for _, r := range runs {
		dt := r.at.Format("Mon 02-Jan-2006 15:04")
		dateLen = max(dateLen, len(dt))
		fmt.Fprintf(&overview, "%-*s  %-22.22s  ", dateLen, dt, r.sched)
		var parts []string
		if r.r.Level != "" {
			parts = append(parts, "Level="+r.r.Level)
		}
		if r.r.Priority != 0 {
			parts = append(parts, "Priority="+strconv.Itoa(r.r.Priority))
		}
		if r.r.Accurate {
			parts = append(parts, "Accurate=1")
		}
		if r.r.Pool != "" {
			parts = append(parts, "Pool="+r.r.Pool)
		}
		if r.r.Storage != "" {
			parts = append(parts, "Storage="+r.r.Storage)
		}
		if r.r.Messages != "" {
			parts = append(parts, "Messages="+r.r.Messages)
		}
		overview.WriteString(strings.Join(parts, " "))
		overview.WriteString("\n")
	}
	ua.SendMsg("====\n\n")
	ua.SendMsg("Scheduler Preview for %d days:\n\n", days)
	ua.SendMsg("%-*s  %-22s  %s\n", dateLen, "Date", "Schedule", "Overrides")
	ua.SendMsg("==============================================================\n")
	ua.SendMsg("%s", overview.String())
	ua.SendMsg("====\n")
	return nil
}

func inHour(r resource.Run, hour int) bool {
	if len(r.Hours) == 0 {
		return hour == 0
	}
	for _, h := range r.Hours {
		if h == hour {
			return true
		}
	}
	return false
}

func atoi(s string) int {
	n := strToInt64(s)
	if n > math.MaxInt32 || n < math.MinInt32 {
		return int(int32(n))
	}
	return int(n)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// subscriptionUnit is a row of the Director's subscription report: the
// newest good Full backup of a client and FileSet.
type subscriptionUnit struct {
	client   string
	clientID uint64
	fileset  string
	plugin   string // "" for file data
	gb       float64
}

// subscriptionUnits is the Director's client_detail: per client and
// FileSet name, the newest terminated Full backup with data.
func (c *cmds) subscriptionUnits(ctx context.Context) ([]subscriptionUnit, error) {
	jobs, err := c.jobs.ListJobs(ctx, JobQuery{Types: []byte{JobTypeBackup}, Levels: []byte{LevelFull},
		Statuses: []byte{JobStatusTerminated, JobStatusWarnings}})
	if err != nil {
		return nil, err
	}
	newest := map[string]Job{}
	var keys []string
	for _, j := range jobs {
		if j.JobBytes == 0 || j.ClientID == 0 {
			continue
		}
		k := strconv.FormatUint(j.ClientID, 10) + "\x00" + j.FileSet
		if old, ok := newest[k]; !ok || j.JobID > old.JobID {
			if !ok {
				keys = append(keys, k)
			}
			newest[k] = j
		}
	}
	var out []subscriptionUnit
	for _, k := range keys {
		j := newest[k]
		plugin := ""
		if fs := c.resource(resource.FileSet, j.FileSet); fs != nil && fs.HasPlugin() {
			plugin = pluginName(fs)
		}
		out = append(out, subscriptionUnit{client: j.Client, clientID: j.ClientID, fileset: j.FileSet,
			plugin: plugin, gb: float64(j.JobBytes) / 1e9})
	}
	return out, nil
}

// pluginName is the plugin of a plugin FileSet as the Director's report
// names it ("postgresql" for module_name=bareos-fd-postgresql).
func pluginName(fs *resource.Resource) string {
	// The first plugin of the first Include that has one names it.
	for _, inc := range fs.Include() {
		if len(inc.Plugins) == 0 {
			continue
		}
		p := inc.Plugins[0]
		if _, after, ok := strings.Cut(p, "module_name=bareos-fd-"); ok {
			p = after
		}
		name, _, _ := strings.Cut(p, ":")
		return strings.ToLower(name)
	}
	return ""
}

// subscriptionStatus is "status subscriptions [all|clients|plugins]
// [anonymize] [client=]": the backup units of the subscription model.
func (c *cmds) subscriptionStatus(ctx context.Context, ua *uacontext.UA) error {
	if !ua.ACLNoRestrictions(uacontext.ACLClient) || !ua.ACLNoRestrictions(uacontext.ACLJob) ||
		!ua.ACLNoRestrictions(uacontext.ACLFileSet) {
		return uacontext.Errorf("%s %s: needs access to all client, job and fileset resources.\n", argKey(ua, 0), argKey(ua, 1))
	}
	all, anon := ua.FindArg("all") > 0, ua.FindArg("anonymize") > 0
	plugins, clients := ua.FindArg("plugins") > 0, ua.FindArg("clients") > 0
	byClient := ua.FindArgWithValue("client") > 0
	if ua.FindArg("unknown") > 0 {
		ua.ErrorMsg("Parameter 'unknown' ignored. There is no unknown data anymore.\n")
	} else if ua.FindArg("detail") > 0 {
		ua.ErrorMsg("Parameter 'detail' ignored. This is now the default.\n")
	}
	units, err := c.subscriptionUnits(ctx)
	if err != nil {
		return catalogError(ctx, err)
	}
	gb := func(v float64) cell { return str(strconv.FormatFloat(math.Round(v*100)/100, 'f', 2, 64)) }
	table := func(name string, rs *resultSet) {
		ua.Formatter().ArrayStart(name, null)
		render(ua.Formatter(), rs, horzList, ua.GUI)
		ua.Formatter().ArrayEnd(name, null)
	}
	if byClient {
		if clients || plugins || anon || all {
			ua.ErrorMsg("Parameter 'client=' provided. Ignoring other parameters.\n")
		}
		name, _ := ua.ArgValue("client")
		if msg := nameError(name); msg != "" {
			ua.ErrorMsg("Client name invalid: %s", msg)
			return uacontext.ErrReported
		}
		ua.SendMsg("\nDetailed backup unit report for client '%s':\n", name)
		rs := &resultSet{cols: []column{textCol("fileset"), textCol("plugin"), numCol("size_gb")}}
		var rows []subscriptionUnit
		for _, u := range units {
			if u.client == name {
				rows = append(rows, u)
			}
		}
		sort.SliceStable(rows, func(a, b int) bool { return rows[a].fileset < rows[b].fileset })
		for _, u := range rows {
			rs.rows = append(rs.rows, []cell{str(u.fileset), str(orFileData(u.plugin)), gb(u.gb)})
		}
		table("unit-detail", rs)
		ua.SendMsg("All plugin jobs and the first non-plugin job are counted.\n")
		return nil
	}
	// client_aggregated: per client and plugin, one unit for file data,
	// one per FileSet for a plugin.
	type agg struct {
		client   string
		clientID uint64
		plugin   string
		count    uint64
		gb       float64
	}
	var aggs []agg
	idx := map[string]int{}
	for _, u := range units {
		k := u.client + "\x00" + u.plugin
		i, ok := idx[k]
		if !ok {
			i = len(aggs)
			idx[k] = i
			aggs = append(aggs, agg{client: u.client, clientID: u.clientID, plugin: u.plugin})
		}
		if u.plugin == "" {
			aggs[i].count = 1
		} else {
			aggs[i].count++
		}
		aggs[i].gb += u.gb
	}
	clientName := func(a agg) string {
		if anon {
			return "Client " + strconv.FormatUint(a.clientID, 10)
		}
		return a.client
	}
	var totalCount uint64
	var totalGB float64
	for _, a := range aggs {
		totalCount += a.count
		totalGB += a.gb
	}
	now := c.opts.Now().Format("2006-01-02 15:04:05")
	if all || (!clients && !plugins) {
		d := ua.Director
		f := ua.Formatter()
		f.KVString("version", "Bareos version: ", d.Version, "%s")
		f.KVString("os", null, d.OSInfo, " (%s)\n")
		binary := "self-compiled"
		if st, err := c.status.Status(ctx); err == nil && st.BinaryInfo != "" {
			binary = st.BinaryInfo
		}
		f.KVString("binary-info", "Binary info: ", binary, "%s\n")
		f.KVString("report-time", "Report time: ", now, "%s\n")
		ua.SendMsg("\nDetailed backup unit report:\n")
		sorted := append([]agg(nil), aggs...)
		sort.SliceStable(sorted, func(a, b int) bool {
			if anon {
				if sorted[a].clientID != sorted[b].clientID {
					return sorted[a].clientID < sorted[b].clientID
				}
			} else if sorted[a].client != sorted[b].client {
				return sorted[a].client < sorted[b].client
			}
			return orFileData(sorted[a].plugin) < orFileData(sorted[b].plugin)
		})
		rs := &resultSet{cols: []column{textCol("client"), textCol("plugin"), numCol("count"), numCol("size_gb")}}
		for _, a := range sorted {
			rs.rows = append(rs.rows, []cell{str(clientName(a)), str(orFileData(a.plugin)), num(a.count), gb(a.gb)})
		}
		rs.rows = append(rs.rows, []cell{str("TOTAL"), {null: true}, num(totalCount), gb(totalGB)})
		table("unit-detail", rs)
	}
	if all || clients {
		ua.SendMsg("\nBackup unit report aggregated by client:\n")
		type tot struct {
			name  string
			id    uint64
			count uint64
			gb    float64
		}
		var per []tot
		at := map[string]int{}
		for _, a := range aggs {
			i, ok := at[a.client]
			if !ok {
				i = len(per)
				at[a.client] = i
				per = append(per, tot{name: clientName(a), id: a.clientID})
			}
			per[i].count += a.count
			per[i].gb += a.gb
		}
		sort.SliceStable(per, func(a, b int) bool {
			if anon {
				return per[a].id < per[b].id
			}
			return per[a].name < per[b].name
		})
		rs := &resultSet{cols: []column{textCol("client"), numCol("count"), numCol("size_gb")}}
		for _, p := range per {
			rs.rows = append(rs.rows, []cell{str(p.name), num(p.count), gb(p.gb)})
		}
		rs.rows = append(rs.rows, []cell{str("TOTAL"), num(totalCount), gb(totalGB)})
		table("unit-clients", rs)
		ua.SendMsg("For a detailed per-client report run 'status subscriptions client=<client-name>'\n")
	}
	if all || plugins {
		ua.SendMsg("\nBackup unit report aggregated by plugin:\n")
		type tot struct {
			count uint64
			gb    float64
		}
		per := map[string]*tot{}
		var names []string
		for _, a := range aggs {
			p := orFileData(a.plugin)
			if per[p] == nil {
				per[p] = &tot{}
				names = append(names, p)
			}
			per[p].count += a.count
			per[p].gb += a.gb
		}
		sort.Strings(names)
		rs := &resultSet{cols: []column{textCol("plugin"), numCol("count"), numCol("size_gb")}}
		for _, n := range names {
			rs.rows = append(rs.rows, []cell{str(n), num(per[n].count), gb(per[n].gb)})
		}
		rs.rows = append(rs.rows, []cell{str("TOTAL"), num(totalCount), gb(totalGB)})
		table("unit-plugins", rs)
	}
	ua.SendMsg("\nBackup unit summary:\n")
	configured := int64(0)
	if dirs := c.configResources(resource.Director); len(dirs) > 0 {
		configured = dirs[0].Int("Subscriptions")
	}
	sizeUnits := uint64(math.Ceil(totalGB / 1000))
	mode := fmt.Sprintf("count-based (%d volume-based < %d count-based)", sizeUnits, totalCount)
	if sizeUnits >= totalCount {
		mode = fmt.Sprintf("volume-based (%d volume-based units >= %d count-based units)", sizeUnits, totalCount)
	}
	used := max(totalCount, sizeUnits)
	summary := &resultSet{cols: []column{textCol("accounting_mode"), numCol("used"), numCol("configured"), numCol("remaining")},
		rows: [][]cell{{str(mode), num(used), inum(configured), inum(configured - int64(used))}}}
	ua.Formatter().ObjectStart("unit-summary", null)
	render(ua.Formatter(), summary, vertList, ua.GUI)
	ua.Formatter().ObjectEnd("unit-summary", null)
	// The checksum is taken over the summary as the Director renders it.
	var text strings.Builder
	sf := formatter.New(formatter.SinkFunc(func(p []byte) error { text.Write(p); return nil }), formatter.Options{Mode: apimode.Off})
	sf.ArrayStart("query", null)
	render(sf, summary, vertList, false)
	sf.ArrayEnd("query", null)
	sf.FinalizeResult(true)
	sum := sha256.Sum256([]byte("SECRETSALT\n" + now + "\n" + text.String()))
	ua.Formatter().KVString("checksum", "Checksum: ", checksumString(sum[:]), "%s\n")
	return nil
}

func orFileData(plugin string) string {
	if plugin == "" {
		return "none (file data)"
	}
	return plugin
}

// checksumString is the Director's compute_hash output: the digest name
// in braces, then the bytes in hex, where only the first byte is padded
// to two digits (its stream's width setting applies once).
func checksumString(sum []byte) string {
	var b strings.Builder
	b.WriteString("{SHA256}")
	for i, x := range sum {
		if i == 0 {
			fmt.Fprintf(&b, "%02x", x)
		} else {
			fmt.Fprintf(&b, "%x", x)
		}
	}
	return b.String()
}
