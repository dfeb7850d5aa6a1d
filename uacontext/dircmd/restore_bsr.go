package dircmd

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/uaformat/uaformat/uacontext"
)

// bsrVolume is a volume a job wrote, with the range of FileIndexes on it
// (the Director's VOL_PARAMS).
type bsrVolume struct {
	name, mediaType, storage string
	slot                     int64
	inChanger                bool
	first, last              int32
	selected                 bool
}

// bsrJob is the bootstrap record of one job: the FileIndexes to restore
// (or all of them) and, once known, its volumes.
type bsrJob struct {
	jobID       uint32
	fi          []int32
	all         bool
	sessionID   uint64
	sessionTime uint64
	volumes     []bsrVolume
}

// bsrList is the Director's chain of bootstrap records, in the order
// their jobs were first added.
type bsrList struct{ jobs []*bsrJob }

func (b *bsrList) job(jobID uint32) *bsrJob {
	for _, j := range b.jobs {
		if j.jobID == jobID {
			return j
		}
	}
	j := &bsrJob{jobID: jobID}
	b.jobs = append(b.jobs, j)
	return j
}

// add is the Director's AddFindex; FileIndex 0 (a directory known only
// from paths) is left out.
func (b *bsrList) add(jobID uint32, fileIndex int32) {
	if fileIndex == 0 {
		return
	}
	j := b.job(jobID)
	j.fi = append(j.fi, fileIndex)
}

// addAll is the Director's AddAllFindex: every file of every job of the
// list. It reports whether the list had a JobId.
func (b *bsrList) addAll(list string) bool {
	has := false
	var last uint64
	for _, id := range parseJobIDs(list) {
		if id == last {
			continue
		}
		last = id
		b.job(uint32(id)).all = true
		has = true
	}
	return has
}

func (b *bsrList) hasJob() bool {
	for _, j := range b.jobs {
		if j.jobID != 0 && (j.all || len(j.fi) > 0) {
			return true
		}
	}
	return false
}

// ranges returns the sorted, merged ranges of the record's FileIndexes.
func (j *bsrJob) ranges() [][2]int32 {
	if j.all {
		return [][2]int32{{1, math.MaxInt32}}
	}
	fi := slices.Clone(j.fi)
	slices.Sort(fi)
	var out [][2]int32
	for _, x := range fi {
		if n := len(out); n > 0 && x <= out[n-1][1]+1 {
			out[n-1][1] = max(out[n-1][1], x)
			continue
		}
		out = append(out, [2]int32{x, x})
	}
	return out
}

// addVolumeInformation is the Director's AddVolumeInformationToBsr: the
// volumes of every job of the bootstrap. A job's FileIndexes are spread
// over its volumes in the order they were written.
func (c *cmds) addVolumeInformation(ctx context.Context, ua *uacontext.UA, rx *restoreCtx) error {
	for _, bj := range rx.bsr.jobs {
		j, err := c.jobs.JobByID(ctx, uint64(bj.jobID))
		if err != nil {
			if !isNotFound(err) {
				return catalogError(ctx, err)
			}
			ua.ErrorMsg("Unable to get Job record. ERR=No Job found for JobId %d\n\n", bj.jobID)
			ua.ErrorMsg("Unable to construct a valid BootStrapRecord. Cannot continue.\n")
			return errFailed
		}
		bj.sessionID, bj.sessionTime = j.VolSessionID, j.VolSessionTime
		if j.JobFiles == 0 {
			continue
		}
		vols, err := c.enabledVolumes(ctx, j.JobID, "")
		if err != nil {
			return catalogError(ctx, err)
		}
		if len(vols) == 0 {
			ua.ErrorMsg("Unable to get Job Volume Parameters. ERR=No Volume for JobId %d found in Catalog.\n\n", bj.jobID)
			ua.ErrorMsg("Unable to construct a valid BootStrapRecord. Cannot continue.\n")
			return errFailed
		}
		n := int64(j.JobFiles)
		for i, m := range vols {
			first := 1 + int64(i)*n/int64(len(vols))
			last := int64(i+1) * n / int64(len(vols))
			bj.volumes = append(bj.volumes, bsrVolume{
				name: m.VolumeName, mediaType: m.MediaType, storage: m.Storage,
				slot: m.Slot, inChanger: m.InChanger,
				first: int32(min(first, math.MaxInt32)), last: int32(min(last, math.MaxInt32)),
			})
		}
	}
	return nil
}

// writeBsr is the Director's WriteBsrFile: it goes through the
// bootstrap records of the jobs, in the order of the JobId list, for the
// volumes that hold selected files, and counts the files to restore (0:
// nothing to restore, already said). The Director writes the records
// to a file whose name it reports; this one reports the same name but
// writes no file (the restore job gets the selection itself).
func (c *cmds) writeBsr(ctx context.Context, ua *uacontext.UA, rx *restoreCtx) (uint32, error) {
	if v, ok := ua.ArgValue("bootstrap"); ok {
		rx.bootstrap = v
	} else {
		rx.bootstrap = fmt.Sprintf("%s/%s.restore.%d.bsr", c.opts.Restore.WorkingDirectory, ua.Director.Name, c.bsrSeq.Add(1))
	}
	var total uint32
	first := true
	var lastIndex int32
	var lastSession [2]uint64
	haveLast := false
	write := func(bj *bsrJob) error {
		this := [2]uint64{bj.sessionID, bj.sessionTime}
		if !haveLast || lastSession != this {
			lastIndex = 0
		}
		rngs := bj.ranges()
		for i := range bj.volumes {
			v := &bj.volumes[i]
			if !volumeSelected(rngs, v.first, v.last) {
				v.selected = false
				continue
			}
			v.selected = true
			if rx.store == "" {
				if err := c.findStorage(ctx, ua, rx, v.storage, v.mediaType); err != nil {
					return err
				}
			}
			count, lo, hi := countFindex(rngs, v.first, v.last)
			total += count
			if !first && count > 0 && lastIndex == lo {
				total--
			}
			first = false
			lastIndex = hi
		}
		lastSession, haveLast = this, true
		return nil
	}
	if rx.jobIDs == "" {
		for _, bj := range rx.bsr.jobs {
			if err := write(bj); err != nil {
				return 0, err
			}
		}
	} else {
		for _, id := range parseJobIDs(rx.jobIDs) {
			for _, bj := range rx.bsr.jobs {
				if uint64(bj.jobID) == id {
					if err := write(bj); err != nil {
						return 0, err
					}
				}
			}
		}
	}
	if total == 0 {
		ua.InfoMsg("No files found to read. No bootstrap file written.\n")
		return 0, nil
	}
	ua.SendMsg("Bootstrap records written to %s\n", rx.bootstrap)
	return total, nil
}

// volumeSelected reports whether a selected range meets [first, last].
func volumeSelected(rngs [][2]int32, first, last int32) bool {
	for _, r := range rngs {
		if r[0] <= last && r[1] >= first {
			return true
		}
	}
	return false
}

// countFindex is the Director's write_findex: it counts the selected
// FileIndexes within [first, last] and returns the lowest and highest of
// them (first and last if none).
func countFindex(rngs [][2]int32, first, last int32) (uint32, int32, int32) {
	var count uint32
	lo, hi := first, last
	any := false
	for _, r := range rngs {
		f, l := max(r[0], first), min(r[1], last)
		if f > l {
			continue
		}
		if !any {
			lo, any = f, true
		}
		hi = l
		count += uint32(l - f + 1)
	}
	return count, lo, hi
}

func (c *cmds) storageDevice(storage string) (string, bool) {
	if sd, ok := c.cat.(StorageDevices); ok && storage != "" {
		return sd.StorageDevice(storage)
	}
	return "", false
}

// findStorage is the Director's FindStorageResource: the Storage
// resource of the volume (or one with its media type), overridden by
// storage= on the command line.
func (c *cmds) findStorage(ctx context.Context, ua *uacontext.UA, rx *restoreCtx, storage, mediaType string) error {
	for _, s := range c.cat.Storages() {
		if s.Name == storage {
			if ua.ACLAccessOK(uacontext.ACLStorage, s.Name) {
				rx.store = s.Name
			}
			break
		}
	}
	if rx.store != "" {
		if v, ok := ua.ArgValue("storage"); ok && v != rx.store {
			for _, s := range c.cat.Storages() {
				if s.Name == v && ua.ACLAccessOK(uacontext.ACLStorage, s.Name) {
					ua.InfoMsg("Warning default storage overridden by \"%s\" on command line.\n", s.Name)
					rx.store = s.Name
				}
			}
		}
		return nil
	}
	for _, s := range c.cat.Storages() {
		if s.MediaType == mediaType {
			if ua.ACLAccessOK(uacontext.ACLStorage, s.Name) {
				rx.store = s.Name
				ua.WarningMsg("Storage \"%s\" not found, using Storage \"%s\" from MediaType \"%s\".\n", storage, s.Name, mediaType)
			}
			return nil
		}
	}
	ua.WarningMsg("\nUnable to find Storage resource for\nMediaType \"%s\", needed by the Jobs you selected.\n", mediaType)
	if v, ok := ua.ArgValue("storage"); ok {
		for _, s := range c.cat.Storages() {
			if s.Name == v && ua.ACLAccessOK(uacontext.ACLStorage, s.Name) {
				rx.store = s.Name
				return nil
			}
		}
	}
	ua.StartPrompt("The defined Storage resources are:\n")
	for _, s := range c.cat.Storages() {
		if ua.ACLAccessOK(uacontext.ACLStorage, s.Name) {
			ua.AddPrompt(s.Name)
		}
	}
	_, name, err := ua.DoPrompt(ctx, "Storage", "Select Storage resource")
	if err != nil {
		if uacontext.IsInputFailure(err) {
			return nil
		}
		return err
	}
	rx.store = name
	return nil
}

// displayBsrInfo is the Director's DisplayBsrInfo: the volumes to
// mount, in JobId order, '*' marking those in an autochanger slot.
func (c *cmds) displayBsrInfo(ua *uacontext.UA, rx *restoreCtx) {
	ua.SendMsg("\n")
	ua.SendMsg("The job will require the following\n" +
		"   Volume(s)                 Storage(s)                SD Device(s)\n" +
		"===========================================================================\n")
	var lines []string
	show := func(bj *bsrJob) {
		for _, v := range bj.volumes {
			if !v.selected || v.name == "" {
				continue
			}
			dev, _ := c.storageDevice(v.storage)
			online := ' '
			if v.inChanger && v.slot != 0 {
				online = '*'
			}
			line := fmt.Sprintf("%c%-25s %-25s %-25s", online, v.name, v.storage, dev)
			if !slices.Contains(lines, line) {
				lines = append(lines, line)
			}
		}
	}
	if rx.jobIDs == "" {
		for _, bj := range rx.bsr.jobs {
			show(bj)
		}
	} else {
		for _, id := range parseJobIDs(rx.jobIDs) {
			for _, bj := range rx.bsr.jobs {
				if uint64(bj.jobID) == id {
					show(bj)
				}
			}
		}
	}
	ua.SendMsg("   %s\n", "")
	for _, l := range lines {
		ua.SendMsg("   %s\n", l)
	}
	if len(lines) == 0 {
		ua.SendMsg("No Volumes found to restore.\n")
	} else {
		ua.SendMsg("\nVolumes marked with \"*\" are online.\n")
	}
	ua.SendMsg("\n")
}

func formatUint(v uint64) string { return strconv.FormatUint(v, 10) }
