package sampledir

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uaformat/uaformat/uacontext/dircmd"
)

var (
	_ dircmd.FileDaemons    = (*Director)(nil)
	_ dircmd.StorageDaemons = (*Director)(nil)
	_ dircmd.MediaUpdater   = (*Director)(nil)
)

// The sample's tape library (storage "Tape"): 24 slots, two
// import/export slots (25 and 26) and two drives.
const (
	librarySlots  = 24
	libraryIESlot = 25
	libraryAll    = 26
	libraryDrives = 2
)

// changer is the state of the sample's tape library.
type changer struct {
	slots  [libraryAll + 1]string // slots[n]: barcode in slot n ("" empty)
	drives [libraryDrives]struct {
		vol  string
		from int
	}
}

// newChanger fills the library: the six labeled scratch tapes of the
// catalog in slots 1-6 (the one of slot 2 loaded in drive 1), four new
// tapes without labels in slots 7-10 and one in import/export slot 25.
func newChanger() *changer {
	ch := &changer{}
	for i := 1; i <= 10; i++ {
		ch.slots[i] = fmt.Sprintf("ABC%03dL6", i)
	}
	ch.slots[25] = "ABC011L6"
	ch.drives[1].vol, ch.drives[1].from = ch.slots[2], 2
	ch.slots[2] = ""
	return ch
}

func (ch *changer) listall() []string {
	var out []string
	for d, dr := range ch.drives {
		out = append(out, dircmd.ChangerSlot{Type: dircmd.SlotDrive, Slot: d, Full: dr.vol != "", Loaded: dr.from, Volume: dr.vol}.String()+"\n")
	}
	for n := 1; n <= libraryAll; n++ {
		typ := dircmd.SlotStorage
		if n >= libraryIESlot {
			typ = dircmd.SlotImport
		}
		out = append(out, dircmd.ChangerSlot{Type: typ, Slot: n, Full: ch.slots[n] != "", Volume: ch.slots[n]}.String()+"\n")
	}
	return out
}

// driveName is the name of a drive device of the library.
func driveName(d int) string { return fmt.Sprintf("tapedrive-%d", d) }

func driveDev(d int) string {
	return fmt.Sprintf("\"%s\" (/dev/tape/by-id/scsi-350223344ab00010%d-nst)", driveName(d), d)
}

// ClientCommand implements dircmd.FileDaemons: the clients answer
// "status" with a file daemon's report; the notebook, which connects to
// the Director itself, cannot be reached.
func (d *Director) ClientCommand(ctx context.Context, client, cmd string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var spec *clientSpec
	for i := range clientSpecs {
		if clientSpecs[i].name == client {
			spec = &clientSpecs[i]
		}
	}
	if spec == nil || !spec.enabled || cmd != "status" {
		return nil, fmt.Errorf("client %q: %w", client, dircmd.ErrUnreachable)
	}
	version, _, _ := strings.Cut(spec.uname, ",")
	now := d.Now()
	var done []dircmd.Job
	for _, j := range d.jobs {
		if j.Client == client && !j.EndTime.IsZero() {
			done = append(done, j)
		}
	}
	done = done[max(0, len(done)-10):]
	out := []string{
		fmt.Sprintf("%s Version: %s\n", client, version),
		fmt.Sprintf("Daemon started %s. Jobs: run=%d running=0, self-compiled binary\n", shortDate(d.started), len(done)),
		" Sizeof: boffset_t=8 size_t=8 debug=0 trace=0 bwlimit=0kB/s\n",
		"\nRunning Jobs:\n",
		fmt.Sprintf("%s (director) connected at: %s\n", Name, shortDate(now)),
		"No Jobs running.\n",
		"====\n",
		"\nTerminated Jobs:\n",
		" JobId  Level    Files      Bytes   Status   Finished        Name \n",
		"======================================================================\n",
	}
	for _, j := range done {
		level := levelName(j.Level)
		level = level[:min(4, len(level))]
		out = append(out, fmt.Sprintf("%6d  %-6s %8s %10s  %-7s  %-8s %s\n", j.JobID, level,
			commas(j.JobFiles), suffixBytes(j.JobBytes), termName(j.JobStatus), shortDate(j.EndTime), j.Name))
	}
	out = append(out, "====\n")
	return out, nil
}

// StorageCommand implements dircmd.StorageDaemons for the storages File
// (a disk device) and Tape (the library of newChanger).
func (d *Director) StorageCommand(ctx context.Context, storage, cmd string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if storage != "File" && storage != "Tape" {
		return nil, fmt.Errorf("storage %q: %w", storage, dircmd.ErrUnreachable)
	}
	words := strings.Fields(cmd)
	if len(words) == 0 {
		return []string{"3900 Invalid command\n"}, nil
	}
	arg := func(key string) (int, bool) {
		for _, w := range words {
			if v, ok := strings.CutPrefix(w, key+"="); ok {
				n, err := strconv.Atoi(v)
				return n, err == nil
			}
		}
		return 0, false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	ch := d.changer
	tape := storage == "Tape"
	switch words[0] {
	case "status":
		return d.sdStatus(storage), nil
	case "autochanger":
		if !tape || len(words) < 3 {
			return []string{"3993 Device \"FileStorage\" not an autochanger device.\n"}, nil
		}
		switch words[1] {
		case "slots":
			return []string{fmt.Sprintf("slots=%d\n", libraryAll)}, nil
		case "drives":
			return []string{fmt.Sprintf("drives=%d\n", libraryDrives)}, nil
		case "listall":
			return ch.listall(), nil
		case "transfer":
			if len(words) < 5 {
				return []string{"3909 Error scanning autochanger transfer command.\n"}, nil
			}
			from, _ := strconv.Atoi(words[3])
			to, _ := strconv.Atoi(words[4])
			if from < 1 || from > libraryAll || to < 1 || to > libraryAll || ch.slots[from] == "" || ch.slots[to] != "" {
				return []string{fmt.Sprintf("3992 Bad autochanger \"transfer %d %d\": ERR=Child exited with code 1.\n", from, to)}, nil
			}
			ch.slots[to], ch.slots[from] = ch.slots[from], ""
			return []string{fmt.Sprintf("3308 Successfully transferred volume from slot %d to %d.\n", from, to)}, nil
		}
		return []string{"3909 Error scanning autochanger command.\n"}, nil
	case "mount", "unmount", "release":
		drive, _ := arg("drive")
		if !tape {
			switch words[0] {
			case "mount":
				return []string{"3906 File device \"FileStorage\" (/var/lib/bareos/storage) is always mounted.\n"}, nil
			case "unmount":
				return []string{"3002 Device \"FileStorage\" (/var/lib/bareos/storage) unmounted.\n"}, nil
			}
			return []string{"3022 Device \"FileStorage\" (/var/lib/bareos/storage) released.\n"}, nil
		}
		if drive < 0 || drive >= libraryDrives {
			return []string{fmt.Sprintf("3999 Device \"TapeChanger\" drive %d not found.\n", drive)}, nil
		}
		dr := &ch.drives[drive]
		switch words[0] {
		case "mount":
			slot, hasSlot := arg("slot")
			if hasSlot && slot != dr.from {
				if slot < 1 || slot > librarySlots || ch.slots[slot] == "" {
					return []string{fmt.Sprintf("3902 Cannot mount Volume on Storage Device %s because:\nSlot %d is empty.\n", driveDev(drive), slot)}, nil
				}
				if dr.vol != "" {
					ch.slots[dr.from] = dr.vol
				}
				dr.vol, dr.from = ch.slots[slot], slot
				ch.slots[slot] = ""
			}
			if dr.vol == "" {
				return []string{fmt.Sprintf("3905 Device %s open but no Bareos volume is mounted.\nIf this is not a blank tape, try unmounting and remounting the Volume.\n", driveDev(drive))}, nil
			}
			return []string{fmt.Sprintf("3001 Device %s is mounted with Volume \"%s\"\n", driveDev(drive), dr.vol)}, nil
		case "unmount":
			if dr.vol == "" {
				return []string{fmt.Sprintf("3901 Device %s is already unmounted.\n", driveDev(drive))}, nil
			}
			ch.slots[dr.from] = dr.vol
			dr.vol, dr.from = "", 0
			return []string{fmt.Sprintf("3002 Device %s unmounted.\n", driveDev(drive))}, nil
		}
		if dr.vol != "" {
			ch.slots[dr.from] = dr.vol
			dr.vol, dr.from = "", 0
		}
		return []string{fmt.Sprintf("3022 Device %s released.\n", driveDev(drive))}, nil
	case "label":
		var vol string
		for _, w := range words {
			if v, ok := strings.CutPrefix(w, "volume="); ok {
				vol = v
			}
		}
		slot, _ := arg("slot")
		drive, _ := arg("drive")
		if !tape || slot < 1 || slot > librarySlots || ch.slots[slot] != vol || vol == "" {
			return []string{fmt.Sprintf("3912 Failed to label Volume: ERR=Slot %d does not hold %s.\n", slot, vol)}, nil
		}
		return []string{fmt.Sprintf("3000 OK label. VolBytes=64512 VolABytes=0 VolType=2 Volume=\"%s\" Device=%s\n", vol, driveDev(drive))}, nil
	}
	return []string{fmt.Sprintf("3900 Invalid command: %s\n", words[0])}, nil
}

// sdStatus is the storage daemon's answer to "status".
func (d *Director) sdStatus(storage string) []string {
	out := []string{
		"bareos-sd Version: 25.0.0 (21 August 2026) Debian GNU/Linux 12 (bookworm)\n",
		fmt.Sprintf("Daemon started %s. Jobs: run=%d, running=0, self-compiled binary\n", shortDate(d.started), min(len(d.jobs), 12)),
		" Sizes: boffset_t=8 size_t=8 int32_t=4 int64_t=8 mode=0 bwlimit=0kB/s\n",
		"\nRunning Jobs:\nNo Jobs running.\n====\n",
		"\nJobs waiting to reserve a drive:\n====\n",
		"\nDevice status:\n",
	}
	if storage == "File" {
		out = append(out, "\nDevice \"FileStorage\" (/var/lib/bareos/storage) is not open.\n==\n")
	} else {
		out = append(out, "\nAutochanger \"TapeChanger\" with devices:\n   \"tapedrive-0\" (/dev/tape/by-id/scsi-350223344ab000100-nst)\n   \"tapedrive-1\" (/dev/tape/by-id/scsi-350223344ab000101-nst)\n")
		for i, dr := range d.changer.drives {
			if dr.vol == "" {
				out = append(out, fmt.Sprintf("\nDevice %s is not open.\n    Slot %d is loaded in drive %d.\n==\n", driveDev(i), 0, i))
				continue
			}
			out = append(out, fmt.Sprintf("\nDevice %s is mounted with:\n    Volume:      %s\n    Pool:        *unknown*\n    Media type:  LTO-6\n    Slot %d is loaded in drive %d.\n==\n", driveDev(i), dr.vol, dr.from, i))
		}
	}
	out = append(out, "====\n", "\nUsed Volume status:\n====\n", "\n====\n")
	return out
}

// CreateMedia implements dircmd.MediaUpdater.
func (d *Director) CreateMedia(_ context.Context, m dircmd.Media) (dircmd.Media, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, x := range d.media {
		if x.VolumeName == m.VolumeName {
			return dircmd.Media{}, fmt.Errorf("volume %q already exists", m.VolumeName)
		}
	}
	m.MediaID = uint64(len(d.media) + 1)
	m.LabelDate = d.Now().Truncate(time.Second)
	media := slices.Clone(d.media)
	d.media = append(media, m)
	pools := slices.Clone(d.pools)
	for i := range pools {
		if pools[i].PoolID == m.PoolID {
			pools[i].NumVols++
		}
	}
	d.pools = pools
	return m, nil
}

// SetMediaSlot implements dircmd.MediaUpdater.
func (d *Director) SetMediaSlot(_ context.Context, volume string, slot int64, inChanger bool, storageID uint64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	media := slices.Clone(d.media)
	for i := range media {
		if media[i].VolumeName == volume {
			media[i].Slot, media[i].InChanger = slot, inChanger
			if storageID != 0 {
				media[i].StorageID = storageID
				for _, s := range d.storages {
					if s.StorageID == storageID {
						media[i].Storage = s.Name
					}
				}
			}
			d.media = media
			return nil
		}
	}
	return fmt.Errorf("volume %q: %w", volume, dircmd.ErrNotFound)
}

// ClearInChanger implements dircmd.MediaUpdater.
func (d *Director) ClearInChanger(_ context.Context, storageID uint64, slot int64, except string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	media := slices.Clone(d.media)
	for i := range media {
		if media[i].StorageID == storageID && media[i].Slot == slot && media[i].VolumeName != except {
			media[i].InChanger = false
		}
	}
	d.media = media
	return nil
}

func (d *Director) mediaSnapshot() []dircmd.Media {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.media
}

func (d *Director) poolSnapshot() []dircmd.PoolRecord {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.pools
}

// shortDate is the daemons' "01-Mar-24 12:00".
func shortDate(t time.Time) string { return t.Format("02-Jan-06 15:04") }

func termName(s byte) string {
	switch s {
	case dircmd.JobStatusTerminated:
		return "OK"
	case dircmd.JobStatusWarnings:
		return "Warning"
	case dircmd.JobStatusCanceled:
		return "Cancel"
	}
	return "Error"
}

// suffixBytes is the daemons' edit_uint64_with_suffix: "97.51 M".
func suffixBytes(v uint64) string {
	s := commas(v)
	suffixes := []string{"", "K", "M", "G", "T", "P", "E"}
	n := strings.Count(s, ",")
	if n > 0 {
		i := strings.IndexByte(s, ',')
		s = s[:i] + "." + strings.SplitN(s[i+1:], ",", 2)[0]
		if len(s) > 5 {
			s = s[:5]
		}
	}
	return s + " " + suffixes[min(n, len(suffixes)-1)]
}
