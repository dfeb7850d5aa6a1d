package dircmd

import (
	"bytes"
	"slices"
)

// SelectJobs applies q to an in-memory job table the way the Director's
// catalog query does: the filters, "last" (newest JobId per job name),
// ordering by StartTime (jobs without start time last, or first when
// descending; ties in JobId order) and the range. wroteVolume reports
// whether a job wrote to a volume; it is only called when q.Volume is
// set and may be nil otherwise. The input slice is not modified.
func SelectJobs(jobs []Job, q JobQuery, wroteVolume func(jobID uint64, volume string) bool) []Job {
	var out []Job
	for _, j := range jobs {
		if q.JobID != 0 && j.JobID != q.JobID {
			continue
		}
		if q.Name != "" && j.Name != q.Name {
			continue
		}
		if q.Client != "" && j.Client != q.Client {
			continue
		}
		if len(q.Statuses) > 0 && !bytes.Contains(q.Statuses, []byte{j.JobStatus}) {
			continue
		}
		if len(q.Levels) > 0 && !bytes.Contains(q.Levels, []byte{j.Level}) {
			continue
		}
		if len(q.Types) > 0 && !bytes.Contains(q.Types, []byte{j.Type}) {
			continue
		}
		if q.Pool != "" && j.Pool != q.Pool {
			continue
		}
		if !q.Since.IsZero() && !j.SchedTime.After(q.Since) {
			continue
		}
		if q.Volume != "" && (wroteVolume == nil || !wroteVolume(j.JobID, q.Volume)) {
			continue
		}
		out = append(out, j)
	}
	if q.Last {
		newest := map[string]uint64{}
		for _, j := range out {
			if j.JobID > newest[j.Name] {
				newest[j.Name] = j.JobID
			}
		}
		out = slices.DeleteFunc(out, func(j Job) bool { return newest[j.Name] != j.JobID })
	}
	slices.SortStableFunc(out, func(a, b Job) int {
		c := compareStart(a, b)
		if q.Descending {
			c = -c
		}
		if c != 0 {
			return c
		}
		switch {
		case a.JobID < b.JobID:
			return -1
		case a.JobID > b.JobID:
			return 1
		}
		return 0
	})
	if q.HasLimit {
		out = page(out, q.Limit, q.Offset)
	}
	return out
}

// compareStart orders by start time, NULL (zero) after every time.
func compareStart(a, b Job) int {
	az, bz := a.StartTime.IsZero(), b.StartTime.IsZero()
	switch {
	case az && bz:
		return 0
	case az:
		return 1
	case bz:
		return -1
	}
	return a.StartTime.Compare(b.StartTime)
}

// page returns the part of s selected by SQL "LIMIT limit OFFSET offset".
func page[T any](s []T, limit, offset uint64) []T {
	n := uint64(len(s))
	if offset >= n {
		return nil
	}
	s = s[offset:]
	if limit < uint64(len(s)) {
		s = s[:limit]
	}
	return s
}

// Page returns the part of s that SQL "LIMIT limit OFFSET offset" selects.
// It never allocates. Embedders can use it to implement ranges.
func Page[T any](s []T, limit, offset uint64) []T { return page(s, limit, offset) }
