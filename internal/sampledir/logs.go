package sampledir

import (
	"context"
	"crypto/md5"
	"fmt"
	"strings"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/uacontext/dircmd"
	"github.com/uaformat/uaformat/uacontext/dircmd/resource"
)

var (
	_ dircmd.JobLogs        = (*Director)(nil)
	_ dircmd.JobStatistics  = (*Director)(nil)
	_ dircmd.FileSetRecords = (*Director)(nil)
	_ dircmd.Configuration  = (*Director)(nil)
)

const tlsCipher = "TLS_CHACHA20_POLY1305_SHA256 TLSv1.3"

// logLines returns the texts and offsets (from the job's start) of a
// job's log, the way the Director writes a job's messages into the
// catalog. The number of lines depends only on the job's type and
// status (logCount), so that LogIds can be computed without generating
// the texts.
func (d *Director) logLines(j *dircmd.Job) ([]string, []time.Duration) {
	dir := Name
	id := j.JobID
	var lines []string
	var at []time.Duration
	add := func(offset time.Duration, format string, args ...any) {
		lines = append(lines, fmt.Sprintf(format, args...))
		at = append(at, offset)
	}
	dur := j.EndTime.Sub(j.StartTime)
	clientAddr := "localhost"
	for _, c := range clientSpecs {
		if c.name == j.Client {
			clientAddr = c.addr
		}
	}
	switch j.Type {
	case dircmd.JobTypeRestore:
		add(0, "%s JobId %d: Start Restore Job %s\n", dir, id, j.Job)
		add(0, "%s JobId %d: Connected Storage daemon at bareos-sd.example.com:9103, encryption: %s\n", dir, id, tlsCipher)
		add(time.Second, "%s JobId %d: Using Device \"FileStorage\" to read.\n", dir, id)
		add(time.Second, "%s JobId %d: Connected Client: %s at %s:9102, encryption: %s\n", dir, id, j.Client, clientAddr, tlsCipher)
		add(time.Second, "%s JobId %d:  Handshake: Immediate TLS \n", dir, id)
		add(2*time.Second, "bareos-sd JobId %d: Ready to read from volume \"%s\" on device \"FileStorage\" (/var/lib/bareos/storage).\n", id, d.firstVolume())
		add(dur, "%s JobId %d: Bareos %s %s:\n  Build OS:               %s\n  JobId:                  %d\n  Job:                    %s\n  Restore Client:         %s\n  Start time:             %s\n  End time:               %s\n  Elapsed time:           %s\n  Files Expected:         %s\n  Files Restored:         %s\n  Bytes Restored:         %s\n  Rate:                   %.1f KB/s\n  FD Errors:              0\n  FD termination status:  OK\n  SD termination status:  OK\n  Bareos binary info:     self-compiled\n  Job triggered by:       User\n  Termination:            Restore OK\n\n",
			dir, id, dir, "25.0.0 (21Aug26)", "Debian GNU/Linux 12 (bookworm)", id, j.Job, j.Client,
			longTime(j.StartTime), longTime(j.EndTime), elapsed(dur), commas(j.JobFiles), commas(j.JobFiles),
			commas(j.JobBytes), rate(j.JobBytes, dur))
		return lines, at
	case dircmd.JobTypeVerify, dircmd.JobTypeAdmin:
		add(0, "%s JobId %d: Start %s JobId %d, Job=%s\n", dir, id, jobTypeName(j.Type), id, j.Job)
		add(dur, "%s JobId %d: Termination: %s OK\n", dir, id, jobTypeName(j.Type))
		return lines, at
	}
	storage, device := "File", "FileStorage"
	for _, jm := range d.jobMedia {
		if jm.JobID == id {
			m := d.mediaSnapshot()[jm.MediaID-1]
			if m.Storage == "Tape" {
				storage, device = "Tape", "tapedrive-0"
			}
			break
		}
	}
	vol := ""
	for _, jm := range d.jobMedia {
		if jm.JobID == id {
			vol = jm.VolumeName
			break
		}
	}
	if vol == "" {
		vol = "*unknown*"
	}
	add(0, "%s JobId %d: Start Backup JobId %d, Job=%s\n", dir, id, id, j.Job)
	add(0, "%s JobId %d: Connected Storage daemon at bareos-sd.example.com:9103, encryption: %s\n", dir, id, tlsCipher)
	add(time.Second, "%s JobId %d: Using Device \"%s\" to write.\n", dir, id, device)
	add(time.Second, "%s JobId %d: Connected Client: %s at %s:9102, encryption: %s\n", dir, id, j.Client, clientAddr, tlsCipher)
	add(time.Second, "%s JobId %d:  Handshake: Immediate TLS \n", dir, id)
	add(2*time.Second, "%s JobId %d: Extended attribute support is enabled\n", j.Client, id)
	add(2*time.Second, "bareos-sd JobId %d: Volume \"%s\" previously written, moving to end of data.\n", id, vol)
	term, fd, sd := "Backup OK", "OK", "OK"
	switch j.JobStatus {
	case dircmd.JobStatusWarnings:
		add(dur/2, "%s JobId %d:      Could not stat \"/var/log/bareos/bareos-fd.log.1\": ERR=No such file or directory\n", j.Client, id)
		term = "Backup OK -- with warnings"
	case dircmd.JobStatusError:
		add(dur/2, "%s JobId %d: Error: lib/bsock_tcp.cc:440 Wrote 65566 bytes to Storage daemon:bareos-sd.example.com:9103, but only 0 accepted.\n", j.Client, id)
		term, fd = "*** Backup Error ***", "Error"
	case dircmd.JobStatusFatal:
		add(dur/2, "%s JobId %d: Fatal error: Network error with FD during Backup: ERR=Connection reset by peer\n", dir, id)
		term, fd, sd = "*** Backup Error ***", "Error", "Error"
	case dircmd.JobStatusCanceled:
		add(dur/2, "%s JobId %d: Fatal error: Job canceled by user.\n", dir, id)
		term, fd, sd = "Backup Canceled", "Canceled", "Canceled"
	case dircmd.JobStatusRunning, dircmd.JobStatusCreated:
		return lines, at
	}
	add(dur, "bareos-sd JobId %d: Elapsed time=%s, Transfer rate=%s Bytes/second\n", id, elapsed(dur), commas(uint64(rate(j.JobBytes, dur)*1000)))
	add(dur, "%s JobId %d: Bareos %s %s:\n  Build OS:               %s\n  JobId:                  %d\n  Job:                    %s\n  Backup Level:           %s\n  Client:                 \"%s\"\n  FileSet:                \"%s\"\n  Pool:                   \"%s\"\n  Storage:                \"%s\"\n  Scheduled time:         %s\n  Start time:             %s\n  End time:               %s\n  Elapsed time:           %s\n  Priority:               10\n  SD Files Written:       %s\n  SD Bytes Written:       %s\n  Rate:                   %.1f KB/s\n  Volume name(s):         %s\n  Volume Session Id:      %d\n  Volume Session Time:    %d\n  FD termination status:  %s\n  SD termination status:  %s\n  Bareos binary info:     self-compiled\n  Job triggered by:       Scheduler\n  Termination:            %s\n\n",
		dir, id, dir, "25.0.0 (21Aug26)", "Debian GNU/Linux 12 (bookworm)", id, j.Job, levelName(j.Level),
		j.Client, j.FileSet, j.Pool, storage, longTime(j.SchedTime), longTime(j.StartTime), longTime(j.EndTime),
		elapsed(dur), commas(j.JobFiles), commas(j.JobBytes), rate(j.JobBytes, dur), vol, j.VolSessionID,
		j.VolSessionTime, fd, sd, term)
	return lines, at
}

// logCount is the number of log lines of a job (see logLines).
func logCount(j *dircmd.Job) uint64 {
	switch j.Type {
	case dircmd.JobTypeRestore:
		return 7
	case dircmd.JobTypeVerify, dircmd.JobTypeAdmin:
		return 2
	}
	switch j.JobStatus {
	case dircmd.JobStatusTerminated:
		return 9
	case dircmd.JobStatusRunning, dircmd.JobStatusCreated:
		return 7
	}
	return 10
}

// logBase returns the LogId before the first entry of each job.
func (d *Director) logBase() []uint64 {
	d.logOnce.Do(func() {
		d.logIDs = make([]uint64, len(d.jobs)+1)
		for i := range d.jobs {
			d.logIDs[i+1] = d.logIDs[i] + logCount(&d.jobs[i])
		}
	})
	return d.logIDs
}

func (d *Director) jobLog(i int) []dircmd.LogEntry {
	j := &d.jobs[i]
	lines, at := d.logLines(j)
	base := d.logBase()[i]
	out := make([]dircmd.LogEntry, len(lines))
	for k, l := range lines {
		out[k] = dircmd.LogEntry{LogID: base + uint64(k) + 1, JobID: j.JobID, Time: j.StartTime.Add(at[k]).Truncate(time.Second), Text: l}
	}
	return out
}

// JobLog implements dircmd.JobLogs.
func (d *Director) JobLog(ctx context.Context, jobID uint64) ([]dircmd.LogEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	i := d.jobIndex(jobID)
	if i < 0 {
		return nil, nil
	}
	return d.jobLog(i), nil
}

// Logs implements dircmd.JobLogs. The entries are generated from the
// newest job backwards, only as far as the page needs.
func (d *Director) Logs(ctx context.Context, q dircmd.LogQuery) ([]dircmd.LogEntry, error) {
	var out []dircmd.LogEntry
	skip := q.Offset
	for i := len(d.jobs) - 1; i >= 0 && uint64(len(out)) < q.Limit; i-- {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		j := &d.jobs[i]
		if j.Type == dircmd.JobTypeJobCopy || q.Client != "" && j.Client != q.Client {
			continue
		}
		n := logCount(j)
		if skip >= n {
			skip -= n
			continue
		}
		entries := d.jobLog(i)
		for k := len(entries) - 1 - int(skip); k >= 0 && uint64(len(out)) < q.Limit; k-- {
			out = append(out, entries[k])
		}
		skip = 0
	}
	return out, nil
}

// JobStats implements dircmd.JobStatistics: a sample every 30 seconds
// of the job's run (at most 20), growing linearly to its totals.
func (d *Director) JobStats(ctx context.Context, jobID uint64) ([]dircmd.JobStat, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	i := d.jobIndex(jobID)
	if i < 0 {
		return nil, nil
	}
	j := d.jobs[i]
	if j.Type != dircmd.JobTypeBackup || j.StartTime.IsZero() {
		return nil, nil
	}
	end := j.EndTime
	if end.IsZero() {
		end = d.Now()
	}
	dur := end.Sub(j.StartTime)
	n := min(int(dur/(30*time.Second))+1, 20)
	out := make([]dircmd.JobStat, 0, n+1)
	for k := 1; k <= n; k++ {
		frac := float64(k) / float64(n)
		out = append(out, dircmd.JobStat{
			DeviceID:   1,
			SampleTime: j.StartTime.Add(time.Duration(frac * float64(dur))).Truncate(time.Second),
			JobID:      j.JobID,
			JobFiles:   uint64(frac * float64(j.JobFiles)),
			JobBytes:   uint64(frac * float64(j.JobBytes)),
		})
	}
	return out, nil
}

// FileSetRecords implements dircmd.FileSetRecords: a record for every
// FileSet some job used, created just before its first job.
func (d *Director) FileSetRecords(ctx context.Context) ([]dircmd.FileSetRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	first := map[uint64]time.Time{}
	for _, j := range d.jobs {
		if j.FileSetID == 0 {
			continue
		}
		if t, ok := first[j.FileSetID]; !ok || j.SchedTime.Before(t) {
			first[j.FileSetID] = j.SchedTime
		}
	}
	var out []dircmd.FileSetRecord
	for i, fs := range d.filesets {
		t, ok := first[uint64(i+1)]
		if !ok {
			continue
		}
		text := ""
		for _, r := range d.cfg[resource.FileSet] {
			if r.Name() == fs.Name {
				text = dircmdConfigText(r)
			}
		}
		sum := md5.Sum([]byte(text))
		out = append(out, dircmd.FileSetRecord{
			FileSetID: uint64(i + 1), FileSet: fs.Name, MD5: bsock.Base64Bareos(sum[:]),
			CreateTime: t.Add(-time.Second), FileSetText: text,
		})
	}
	return out, nil
}

func dircmdConfigText(r *resource.Resource) string {
	return dircmd.ConfigText(r, resource.PrintOptions{})
}

func (d *Director) firstVolume() string {
	for _, m := range d.mediaSnapshot() {
		if m.VolJobs > 0 {
			return m.VolumeName
		}
	}
	return ""
}

func jobTypeName(t byte) string {
	switch t {
	case dircmd.JobTypeVerify:
		return "Verify"
	case dircmd.JobTypeAdmin:
		return "Admin"
	}
	return "Backup"
}

func levelName(l byte) string {
	switch l {
	case dircmd.LevelFull:
		return "Full"
	case dircmd.LevelDifferential:
		return "Differential"
	case dircmd.LevelIncremental:
		return "Incremental"
	}
	return string(rune(l))
}

// longTime is the Director's bstrftime: "01-Jan-2024 21:00:03".
func longTime(t time.Time) string { return t.Format("02-Jan-2006 15:04:05") }

func elapsed(d time.Duration) string {
	s := int64(d / time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

func rate(bytes uint64, d time.Duration) float64 {
	if d < time.Second {
		d = time.Second
	}
	return float64(bytes) / 1000 / d.Seconds()
}

// commas prints a number with thousands separators.
func commas(v uint64) string {
	s := fmt.Sprint(v)
	var b strings.Builder
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
