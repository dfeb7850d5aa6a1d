package dircmd

import (
	"context"
	"strconv"
	"strings"

	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd/resource"
)

// MediaUpdater is the capability of a catalog whose volumes the storage
// commands change: label creates volume records, update slots, import,
// export and move record where the volumes are. Without it those
// commands leave the catalog as it is and say so.
type MediaUpdater interface {
	// CreateMedia adds a volume record (MediaId, pool counts and dates
	// are the catalog's to fill in) and returns it as stored.
	CreateMedia(ctx context.Context, m Media) (Media, error)
	// SetMediaSlot records that the volume is in slot (0: none) of the
	// storage's autochanger, or not in the changer.
	SetMediaSlot(ctx context.Context, volume string, slot int64, inChanger bool, storageID uint64) error
	// ClearInChanger marks every volume of the storage recorded in slot
	// as not in the changer, except the named one (the Director's
	// MakeInchangerUnique).
	ClearInChanger(ctx context.Context, storageID uint64, slot int64, except string) error
}

func (c *cmds) storageID(ctx context.Context, name string) uint64 {
	recs, err := c.storages.StorageRecords(ctx)
	if err != nil {
		return 0
	}
	for _, r := range recs {
		if r.Name == name {
			return r.StorageID
		}
	}
	return 0
}

// driveArg is the Director's GetStorageDrive: drive=, else 0 unless the
// storage is an autochanger with several drives, which offers "Select
// Drive:"; a failed selection is drive -1 (err only ends the session).
func (c *cmds) driveArg(ctx context.Context, ua *uacontext.UA, st *resource.Resource) (int, error) {
	if v, ok := ua.ArgValue("drive"); ok {
		return atoi(v), nil
	}
	if !st.Bool("AutoChanger") {
		return 0, nil
	}
	n := c.sd(ua, st).drives(ctx)
	if n == 1 {
		return 0, nil
	}
	ua.StartPrompt("Select Drive:\n")
	for i := range n {
		ua.AddPrompt("Drive " + strconv.Itoa(i))
	}
	_, answer, err := ua.DoPrompt(ctx, "Drive", "Select drive")
	if err != nil {
		if sessionGone(err) {
			return -1, err
		}
		return -1, nil
	}
	return atoi(strings.TrimPrefix(answer, "Drive ")), nil
}

// slotArg is the Director's GetStorageSlot: slot=, else for an
// autochanger the answer to "Enter autochanger slot: " (-1: none).
func slotArg(ctx context.Context, ua *uacontext.UA, st *resource.Resource) (int, error) {
	if v, ok := ua.ArgValue("slot"); ok {
		return atoi(v), nil
	}
	if !st.Bool("AutoChanger") {
		return -1, nil
	}
	answer, err := ua.GetCmd(ctx, "Enter autochanger slot: ")
	if err != nil {
		if sessionGone(err) {
			return -1, err
		}
		return -1, nil
	}
	return atoi(answer), nil
}

// mountCmd is "mount|unmount|release storage=<name> [drive=<n>]
// [slot=<n>] [alldrives]": the storage daemon loads, unloads or releases
// a drive.
func (c *cmds) mountCmd(op string) func(context.Context, *uacontext.UA) error {
	return func(ctx context.Context, ua *uacontext.UA) error {
		allDrives := (op == "release" || op == "unmount") && ua.FindArg("alldrives") >= 0
		st, err := c.storageArg(ctx, ua, true, false)
		if ok, err := proceed(err); !ok {
			return err
		}
		drive := 0
		if !allDrives {
			if drive, err = c.driveArg(ctx, ua, st); err != nil || drive < 0 {
				return err
			}
		}
		slot := -1
		if op == "mount" {
			if slot, err = slotArg(ctx, ua, st); err != nil {
				return err
			}
		}
		s := c.sd(ua, st)
		volOp := func(drive int) {
			cmd := op + " " + bashSpaces(s.device()) + " drive=" + strconv.Itoa(drive)
			if slot > 0 {
				cmd += " slot=" + strconv.Itoa(slot)
			}
			msgs, ok := s.send(ctx, cmd)
			s.close()
			if !ok {
				return
			}
			for _, m := range msgs {
				ua.SendMsg("%s", m)
			}
		}
		if !allDrives {
			volOp(drive)
			return nil
		}
		n := s.drives(ctx)
		for d := range n {
			volOp(d)
		}
		return nil
	}
}

// changerState is what the storage commands know of an autochanger: its
// number of slots and its contents.
type changerState struct {
	max      int
	contents []ChangerSlot
}

func (cs *changerState) slot(n int) *ChangerSlot {
	for i := range cs.contents {
		if cs.contents[i].Type != SlotDrive && cs.contents[i].Slot == n {
			return &cs.contents[i]
		}
	}
	return nil
}

// full reports whether slot n holds a volume, counting a volume loaded in
// a drive from it.
func (cs *changerState) full(n int) bool {
	s := cs.slot(n)
	if s == nil {
		return false
	}
	if s.Full {
		return true
	}
	_, loaded := loadedFrom(cs.contents, n)
	return s.Type == SlotStorage && loaded
}

// empty reports whether slot n is really empty.
func (cs *changerState) empty(n int) bool {
	s := cs.slot(n)
	if s == nil || s.Full {
		return false
	}
	_, loaded := loadedFrom(cs.contents, n)
	return !loaded
}

// moveOp is "import", "export" or "move storage=<name> srcslots=
// dstslots=": volumes move between the normal slots and the
// import/export slots of an autochanger.
func (c *cmds) moveOp(op string) func(context.Context, *uacontext.UA) error {
	return func(ctx context.Context, ua *uacontext.UA) error {
		st, err := c.storageArg(ctx, ua, false, true)
		if ok, err := proceed(err); !ok {
			if err == nil {
				err = reportedf("dircmd: %s: no storage", op)
			}
			return err
		}
		s := c.sd(ua, st)
		defer s.close()
		state := &changerState{max: s.slots(ctx)}
		if state.max <= 0 {
			ua.WarningMsg("No slots in changer.\n")
			return uacontext.ErrReported
		}
		var ok bool
		if state.contents, ok = s.contents(ctx); !ok {
			ua.WarningMsg("No Volumes found, or no barcodes.\n")
			return uacontext.ErrReported
		}
		selection := func(keys ...string) ([]bool, bool, error) {
			for _, k := range keys {
				if ua.FindArgWithValue(k) >= 0 {
					l, err := slotList(ua, k, state.max)
					return l, true, err
				}
			}
			return make([]bool, state.max), false, nil
		}
		src, hasSrc, err := selection("srcslots", "srcslot")
		if err != nil {
			return uacontext.ErrReported
		}
		dst, hasDst, err := selection("dstslots", "dstslot")
		if err != nil {
			return uacontext.ErrReported
		}
		deselect := func(list []bool, wantFull bool) {
			for _, cs := range state.contents {
				if cs.Type == SlotDrive || cs.Slot < 1 || cs.Slot > state.max || !list[cs.Slot-1] {
					continue
				}
				if wantFull && state.full(cs.Slot) || !wantFull && state.empty(cs.Slot) {
					continue
				}
				ua.WarningMsg("Deselecting slot %d doesn't have wanted status.\n", cs.Slot)
				list[cs.Slot-1] = false
			}
		}
		if hasSrc {
			deselect(src, true)
		}
		if hasDst && op != "move" {
			deselect(dst, false)
		}
		count := func(l []bool) int {
			n := 0
			for _, b := range l {
				if b {
					n++
				}
			}
			return n
		}
		nSrc, nDst := count(src), count(dst)
		if nSrc > 0 && nDst > 0 && nSrc > nDst {
			ua.WarningMsg("Source slot selection doesn't fit into destination slot selection.\n")
			return uacontext.ErrReported
		}
		if nSrc > 0 && nDst > 0 {
			for i := range src {
				if src[i] && dst[i] {
					ua.WarningMsg("Source slot selection and destination slot selection overlap.\n")
					return uacontext.ErrReported
				}
			}
		}
		// verify: every selected slot is of the type and content wanted.
		verify := func(list []bool, typ SlotType, wantFull bool) bool {
			for _, cs := range state.contents {
				if cs.Type == SlotDrive || cs.Slot < 1 || cs.Slot > state.max || !list[cs.Slot-1] {
					continue
				}
				if cs.Type != typ || wantFull && !state.full(cs.Slot) || !wantFull && !state.empty(cs.Slot) {
					return false
				}
			}
			return true
		}
		autofill := func(list []bool, typ SlotType, wantFull bool) int {
			n := 0
			for _, cs := range state.contents {
				if cs.Type != typ || cs.Full != wantFull || cs.Slot < 1 || cs.Slot > state.max {
					continue
				}
				if typ == SlotStorage && !wantFull && !state.empty(cs.Slot) {
					continue
				}
				list[cs.Slot-1] = true
				n++
			}
			return n
		}
		switch op {
		case "export":
			if nSrc == 0 {
				ua.WarningMsg("Cannot perform an export operation without source slot selection\n")
				return uacontext.ErrReported
			}
		case "move":
			if nSrc == 0 || nDst == 0 {
				ua.WarningMsg("Cannot perform a move operation without source and/or destination selection\n")
				return uacontext.ErrReported
			}
		}
		switch op {
		case "import":
			if nSrc == 0 {
				nSrc = autofill(src, SlotImport, true)
			} else if !verify(src, SlotImport, true) {
				ua.WarningMsg("Not all slots in source selection are import slots and filled.\n")
				return uacontext.ErrReported
			}
			if nDst == 0 {
				nDst = autofill(dst, SlotStorage, false)
				if nSrc > nDst {
					ua.WarningMsg("Not enough free slots available to import %d volumes\n", nSrc)
					return uacontext.ErrReported
				}
			} else if !verify(dst, SlotStorage, false) {
				ua.WarningMsg("Not all slots in destination selection are normal slots and empty.\n")
				return uacontext.ErrReported
			}
		case "export":
			if !verify(src, SlotStorage, true) {
				ua.WarningMsg("Not all slots in source selection are normal slots and filled.\n")
				return uacontext.ErrReported
			}
			if nDst == 0 {
				nDst = autofill(dst, SlotImport, false)
				if nSrc > nDst {
					plural := ""
					if nSrc > 1 {
						plural = "s"
					}
					ua.WarningMsg("Not enough free export slots available to export %d volume%s\n", nSrc, plural)
					return uacontext.ErrReported
				}
			} else if !verify(dst, SlotImport, false) {
				ua.WarningMsg("Not all slots in destination selection are export slots and empty.\n")
				return uacontext.ErrReported
			}
		}
		if nSrc == 0 || nDst == 0 {
			ua.WarningMsg("Nothing to do\n")
			return uacontext.ErrReported
		}
		visited := make([]bool, state.max)
		to := 1
		for from := 1; from <= state.max; from++ {
			if !src[from-1] {
				continue
			}
			for to <= state.max && !dst[to-1] {
				to++
			}
			if to > state.max {
				ua.WarningMsg("Failed to find suitable destination slot in slot range.\n")
				break
			}
			if op == "export" {
				if d, loaded := loadedFrom(state.contents, from); loaded {
					msgs, ok := s.send(ctx, "release "+bashSpaces(s.device())+" drive="+strconv.Itoa(d.Slot))
					if !ok {
						ua.WarningMsg("Failed to release volume in drive %d\n", d.Slot)
						continue
					}
					for _, m := range msgs {
						ua.SendMsg("%s", m)
					}
				}
			}
			if c.transfer(ctx, ua, s, from, to) {
				c.applyTransfer(state, from, to)
				visited[from-1], visited[to-1] = true, true
			} else {
				ua.WarningMsg("Failed to move volume from source slot %d to destination slot %d\n", from, to)
				if op == "export" {
					visited[from-1] = true
				}
			}
			to++
		}
		c.updateSlotsFromContents(ctx, ua, st, state, visited)
		return nil
	}
}

// transfer asks the storage daemon to move a volume.
func (c *cmds) transfer(ctx context.Context, ua *uacontext.UA, s *sdSession, from, to int) bool {
	msgs, ok := s.send(ctx, "autochanger transfer "+bashSpaces(s.device())+" "+strconv.Itoa(from)+" "+strconv.Itoa(to)+" ")
	if !ok {
		return false
	}
	for _, m := range msgs {
		m = strings.TrimRight(m, "\n\r ")
		if isSDMessage(m) && m[1] == '9' {
			ok = false
		}
		ua.SendMsg("%s\n", m)
	}
	return ok
}

// applyTransfer updates the known contents after a move.
func (c *cmds) applyTransfer(state *changerState, from, to int) {
	src, dst := state.slot(from), state.slot(to)
	if src == nil || dst == nil {
		return
	}
	vol := src.Volume
	if !src.Full {
		if d, ok := loadedFrom(state.contents, from); ok {
			vol = d.Volume
			for i := range state.contents {
				if state.contents[i].Type == SlotDrive && state.contents[i].Slot == d.Slot {
					state.contents[i] = ChangerSlot{Type: SlotDrive, Slot: d.Slot}
				}
			}
		}
	}
	*dst = ChangerSlot{Type: dst.Type, Slot: to, Full: true, Volume: vol}
	*src = ChangerSlot{Type: src.Type, Slot: from}
}

// updateSlotsFromContents records the volumes of the visited slots in
// the catalog (the Director's UpdateSlotsFromVolList).
func (c *cmds) updateSlotsFromContents(ctx context.Context, ua *uacontext.UA, st *resource.Resource, state *changerState, visited []bool) {
	mu, ok := c.cat.(MediaUpdater)
	if !ok {
		return
	}
	sid := c.storageID(ctx, st.Name())
	for _, cs := range state.contents {
		if cs.Type == SlotDrive || cs.Slot < 1 || cs.Slot > state.max || !visited[cs.Slot-1] {
			continue
		}
		if !cs.Full || cs.Volume == "" {
			_ = mu.ClearInChanger(ctx, sid, int64(cs.Slot), "")
			continue
		}
		if _, _, found := c.volumeRecord(ctx, cs.Volume); !found {
			continue
		}
		// Volumes in import/export slots are not in the changer.
		in := cs.Type == SlotStorage
		slot := int64(cs.Slot)
		if !in {
			slot = 0
		}
		_ = mu.ClearInChanger(ctx, sid, int64(cs.Slot), cs.Volume)
		if err := mu.SetMediaSlot(ctx, cs.Volume, slot, in, sid); err != nil {
			ua.ErrorMsg("%s\n", err.Error())
		}
	}
}

// updateSlots is "update slots [storage=<name>] [slots=<list>]": the
// catalog learns which volume is in which slot.
func (c *cmds) updateSlots(ctx context.Context, ua *uacontext.UA) error {
	st, err := c.storageArg(ctx, ua, true, true)
	if ok, err := proceed(err); !ok {
		return err
	}
	s := c.sd(ua, st)
	defer s.close()
	maxSlots := s.slots(ctx)
	if maxSlots <= 0 {
		ua.WarningMsg("No slots in changer to scan.\n")
		return nil
	}
	selected, err := slotList(ua, "slots", maxSlots)
	if err != nil {
		return nil
	}
	contents, ok := s.contents(ctx)
	if !ok {
		ua.WarningMsg("No Volumes found to update, or no barcodes.\n")
		return nil
	}
	mu, canUpdate := c.cat.(MediaUpdater)
	sid := c.storageID(ctx, st.Name())
	for _, cs := range contents {
		if cs.Type != SlotStorage {
			continue
		}
		if cs.Slot > maxSlots {
			ua.WarningMsg("Slot %d greater than max %d ignored.\n", cs.Slot, maxSlots)
			continue
		}
		if cs.Slot < 1 || !selected[cs.Slot-1] {
			continue
		}
		selected[cs.Slot-1] = false
		vol := cs.Volume
		if !cs.Full {
			if d, loaded := loadedFrom(contents, cs.Slot); loaded {
				vol = d.Volume
			}
		}
		if canUpdate {
			_ = mu.ClearInChanger(ctx, sid, int64(cs.Slot), vol)
		}
		if vol == "" {
			ua.InfoMsg("No VolName for Slot=%d InChanger set to zero.\n", cs.Slot)
			continue
		}
		m, _, found := c.volumeRecord(ctx, vol)
		switch {
		case !found:
			ua.WarningMsg("Volume \"%s\" not found in catalog. Slot=%d InChanger set to zero.\n", vol, cs.Slot)
		case m.Slot != int64(cs.Slot) || !m.InChanger || m.StorageID != sid:
			if !canUpdate {
				ua.ErrorMsg("The catalog cannot record slots.\n")
				continue
			}
			if err := mu.SetMediaSlot(ctx, vol, int64(cs.Slot), true, sid); err != nil {
				ua.ErrorMsg("%s\n", err.Error())
				continue
			}
			ua.InfoMsg("Catalog record for Volume \"%s\" updated to reference slot %d.\n", vol, cs.Slot)
		default:
			ua.InfoMsg("Catalog record for Volume \"%s\" is up to date.\n", vol)
		}
	}
	if canUpdate {
		for i, unvisited := range selected {
			if unvisited {
				_ = mu.ClearInChanger(ctx, sid, int64(i+1), "")
			}
		}
	}
	return nil
}

// updateCmd is the "update" command: the first argument that names an
// item (media, volume, pool, slots, slot, jobid, stats) chooses it,
// otherwise the Director offers "Update choice:". This Director updates
// slots only; the other items are refused with a message.
func (c *cmds) updateCmd(ctx context.Context, ua *uacontext.UA) error {
	// The Director's items in the order of its menu.
	const (
		volume = iota
		pool
		slots
		stats
		job
	)
	item := -1
	switch ua.FindArgKeyword("media", "volume", "pool", "slots", "slot", "jobid", "stats") {
	case 0, 1:
		item = volume
	case 2:
		item = pool
	case 3, 4:
		item = slots
	case 5:
		item = job
	case 6:
		item = stats
	default:
		ua.StartPrompt("Update choice:\n")
		ua.AddPrompt("Volume parameters")
		ua.AddPrompt("Pool from resource")
		ua.AddPrompt("Slots from autochanger")
		ua.AddPrompt("Long term statistics")
		i, _, err := ua.DoPrompt(ctx, "item", "Choose catalog item to update")
		if ok, err := proceed(err); !ok {
			return err
		}
		item = i
	}
	if item == slots {
		return c.updateSlots(ctx, ua)
	}
	what := [...]string{volume: "volume", pool: "pool", stats: "stats", job: "jobid"}[item]
	return uacontext.Errorf("update %s is not supported by this Director.\n", what)
}

// labelCmd is "label storage=<name> pool=<name> [drive=<n>] barcodes
// [slots=<list>] [encrypt] yes": label the volumes the autochanger's
// barcode reader finds, creating their catalog records.
func (c *cmds) labelCmd(ctx context.Context, ua *uacontext.UA) error {
	barcodes := ua.FindArg("barcode") > 0 || ua.FindArg("barcodes") > 0
	if !barcodes {
		// Labeling one volume by name asks for the name, the pool and
		// the slot; this Director labels from barcodes only.
		return uacontext.Errorf("label without barcodes is not supported by this Director.\n")
	}
	st, err := c.storageArg(ctx, ua, true, true)
	if ok, err := proceed(err); !ok {
		return err
	}
	drive, err := c.driveArg(ctx, ua, st)
	if err != nil || drive < 0 {
		return err
	}
	s := c.sd(ua, st)
	defer s.close()
	maxSlots := s.slots(ctx)
	if maxSlots <= 0 {
		ua.WarningMsg("No slots in changer to scan.\n")
		return nil
	}
	chosen, err := slotList(ua, "slots", maxSlots)
	if err != nil {
		return nil
	}
	contents, ok := s.contents(ctx)
	s.close()
	if !ok {
		ua.WarningMsg("No Volumes found to label, or no barcodes.\n")
		return nil
	}
	var todo []ChangerSlot
	for _, cs := range contents {
		if cs.Type != SlotStorage || !cs.Full || cs.Volume == "" || cs.Slot < 1 || cs.Slot > maxSlots || !chosen[cs.Slot-1] {
			continue
		}
		todo = append(todo, cs)
	}
	ua.SendMsg("The following Volumes will be labeled:\nSlot  Volume\n==============\n")
	for _, cs := range todo {
		ua.SendMsg("%4d  %s\n", cs.Slot, cs.Volume)
	}
	if ua.FindArg("yes") < 0 {
		yes, err := ua.GetYesno(ctx, "Do you want to label these Volumes? (yes|no): ")
		if ok, err := proceed(err); !ok || !yes {
			return err
		}
	}
	pr, err := SelectPoolRecord(ctx, ua, c.cat, "pool")
	if ok, err := proceed(err); !ok {
		return err
	}
	pool := &pr
	mu, canCreate := c.cat.(MediaUpdater)
	sid := c.storageID(ctx, st.Name())
	for _, cs := range todo {
		if m, _, found := c.volumeRecord(ctx, cs.Volume); found {
			ua.WarningMsg("Media record for Slot %d Volume \"%s\" already exists.\n", cs.Slot, m.VolumeName)
			if canCreate {
				_ = mu.SetMediaSlot(ctx, m.VolumeName, int64(cs.Slot), true, sid)
			}
			continue
		}
		if pool.MaxVols > 0 && pool.NumVols >= pool.MaxVols {
			ua.ErrorMsg("Maximum pool Volumes=%d reached.\n", pool.MaxVols)
			return nil
		}
		cmd := "label " + bashSpaces(s.device()) + " volume=" + cs.Volume + " slot=" + strconv.Itoa(cs.Slot) +
			" drive=" + strconv.Itoa(drive) + " pool=" + bashSpaces(pool.Name) + " mediatype=" + bashSpaces(st.String("MediaType"))
		msgs, ok := s.send(ctx, cmd)
		s.close()
		if !ok {
			continue
		}
		labeled := false
		for _, m := range msgs {
			ua.SendMsg("%s", m)
			if strings.HasPrefix(m, "3000 OK label.") {
				labeled = true
			}
		}
		if !labeled {
			ua.ErrorMsg("Label command failed for Volume %s.\n", cs.Volume)
			continue
		}
		if !canCreate {
			ua.ErrorMsg("Catalog error: the catalog cannot create volume records.\n")
			continue
		}
		m := Media{VolumeName: cs.Volume, Slot: int64(cs.Slot), InChanger: true, PoolID: pool.PoolID, Pool: pool.Name,
			MediaType: st.String("MediaType"), VolStatus: "Append", Enabled: 1, Recycle: pool.Recycle,
			VolRetention: pool.VolRetention, VolUseDuration: pool.VolUseDuration, MaxVolJobs: pool.MaxVolJobs,
			MaxVolBytes: pool.MaxVolBytes, StorageID: sid, Storage: st.Name(), Encrypted: ua.FindArg("encrypt") > 0,
			VolBytes: 64512}
		if _, err := mu.CreateMedia(ctx, m); err != nil {
			ua.ErrorMsg("Catalog error: %s\n", err.Error())
			continue
		}
		pool.NumVols++
		ua.SendMsg("Catalog record for Volume \"%s\", Slot %d successfully created.\n", cs.Volume, cs.Slot)
	}
	return nil
}
